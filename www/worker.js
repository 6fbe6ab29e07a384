// Runs experiments off the main thread: the same wasm core, the same numbers. Messages in:
// {id, spec, task: 'run' | 'smoothness' | 'sweep' | 'anatomy'}; out: {id, type: 'progress', phase,
// fraction} | {id, type: 'done', result | report | sweep | anatomy} | {id, type: 'error', message, field}.
import init, { run, smoothness, sweep, hessianAnatomy } from './pkg/steepest.js';
import { ensureData } from './compute.js';

/** A progress callback for the core that posts at most every 100 ms. */
function reporter(id, phase, from = 0, span = 1) {
  let last = 0;
  return (f) => {
    const now = Date.now();
    if (now - last > 100) {
      last = now;
      self.postMessage({ id, type: 'progress', phase, fraction: from + span * f });
    }
    return true;
  };
}

const ready = init();

self.onmessage = async ({ data: { id, spec, task } }) => {
  await ready;
  try {
    await ensureData(spec);
    if (task === 'sweep') {
      self.postMessage({ id, type: 'done', sweep: sweep(spec, reporter(id, 'sweeping the grid')) });
      return;
    }
    if (task === 'anatomy') {
      self.postMessage({ id, type: 'progress', phase: 'training to the checkpoint', fraction: 0 });
      self.postMessage({ id, type: 'done', anatomy: hessianAnatomy(spec, reporter(id, 'the Hessian and its spectrum')) });
      return;
    }
    if (task === 'run') {
      self.postMessage({ id, type: 'progress', phase: 'running the methods', fraction: 0 });
      self.postMessage({ id, type: 'done', result: run(spec) });
      return;
    }
    self.postMessage({ id, type: 'progress', phase: 'measuring the geometry', fraction: 0 });
    self.postMessage({ id, type: 'done', report: smoothness(spec, undefined, reporter(id, 'measuring the geometry')) });
  } catch (e) {
    self.postMessage({ id, type: 'error', message: e.message, field: e.field });
  }
};
