// Runs experiments off the main thread: the same wasm core, the same numbers. Messages in:
// {id, spec, task: 'all' | 'smoothness' | 'sweep'}; out: {id, type: 'progress', phase, fraction} |
// {id, type: 'done', result, report, sweep} | {id, type: 'error', message, field}.
import init, { run, smoothness, sweep } from './pkg/steepest.js';
import { heavyGeometry, ensureData } from './compute.js';

const ready = init();

self.onmessage = async ({ data: { id, spec, task } }) => {
  await ready;
  try {
    await ensureData(spec);
    if (task === 'sweep') {
      let last = 0;
      const map = sweep(spec, (f) => {
        const now = Date.now();
        if (now - last > 100) {
          last = now;
          self.postMessage({ id, type: 'progress', phase: 'sweeping the grid', fraction: f });
        }
        return true;
      });
      self.postMessage({ id, type: 'done', sweep: map });
      return;
    }
    let result = null;
    if (task === 'all') {
      self.postMessage({ id, type: 'progress', phase: 'running the methods', fraction: 0 });
      result = run(spec);
    }
    if (heavyGeometry(spec)) {
      self.postMessage({ id, type: 'done', result, report: null });
      return;
    }
    self.postMessage({ id, type: 'progress', phase: 'measuring the geometry', fraction: 0.5 });
    let last = 0;
    const report = smoothness(spec, undefined, (f) => {
      const now = Date.now();
      if (now - last > 100) {
        last = now;
        self.postMessage({ id, type: 'progress', phase: 'exact L∞', fraction: 0.5 + 0.5 * f });
      }
      return true;
    });
    self.postMessage({ id, type: 'done', result, report });
  } catch (e) {
    self.postMessage({ id, type: 'error', message: e.message, field: e.field });
  }
};
