// @ts-check
// Runs fuzz cases on the wasm core (the page's www/pkg) in a worker thread, so that the driver can
// time a case out and replace a worker whose instance panicked. Says `{thread}` once ready (its
// /proc entry, for the CPU time), then replies `{ok: value}` or `{error: message, field, runtime}`
// (runtime: a wasm trap, i.e. a panic).
import { parentPort } from 'node:worker_threads';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../../scripts/setup.mjs';
import * as core from '../../www/pkg/steepest.js';

core.initSync({ module: readFileSync(join(root, 'www/pkg/steepest_bg.wasm')) });
for (const name of ['digits', 'breast_cancer']) core.registerDataset(name, readFileSync(join(root, 'data', `${name}.bin`)));

/** A spec given as text is parsed as the page would (JSON.parse); text that is not JSON is the
 * page's own error, named. @param {unknown} spec */
function specObject(spec) {
  if (typeof spec !== 'string') return spec;
  try {
    return JSON.parse(spec);
  } catch {
    throw Object.assign(new Error('spec: not JSON'), { field: 'spec' });
  }
}

/** @param {import('./generate.mjs').Case} c */
function exec(c) {
  switch (c.task) {
    case 'run': {
      const spec = specObject(c.spec);
      const result = core.run(spec);
      if (c.csv) return { csv: core.toCsv(result) };
      // As the page's pool runs it: each method apart (the last first), then put together.
      const order = result.methods.map((/** @type {unknown} */ _, /** @type {number} */ i) => i).reverse();
      const methods = [];
      for (const i of order) methods[i] = core.runMethods(spec, Uint32Array.of(i))[0];
      const [whole, together] = [result, core.assembleRun(spec, methods)].map((r) => JSON.stringify(r));
      return whole === together ? result : { pooledDiffers: `the run's methods run apart and put together differ from the run: ${together.slice(0, 200)}` };
    }
    case 'query': {
      const decoded = core.specFromQuery(c.query);
      return { decoded, result: core.run(decoded.spec) };
    }
    case 'matrix': return core.smoothness(c.text, { exact: c.exact }, undefined);
    case 'smoothness': return core.smoothness(specObject(c.spec), { exact: c.exact }, undefined);
    case 'sweep': return core.sweep(specObject(c.spec), undefined);
    case 'analysis': return core.hessianAnatomy(specObject(c.spec), undefined);
    case 'url': {
      const query = core.specToQuery(specObject(c.spec));
      const back = core.specFromQuery(query);
      if (back.issues.length) return { roundTripIssues: back.issues };
      return { query };
    }
    case 'argv': return core.specFromQuery(c.args.map((a) => typeof a === 'string' ? a : new TextDecoder().decode(a)).join('&'));
    case 'closed-stdout': return null;
    case 'oversized':
      return c.what === 'x0' || c.what === 'zero'
        ? core.run({ problem: { x0: new Array(1_000_000).fill(0) } })
        : core.smoothness(c.what === 'row' ? `[[${'0,'.repeat(1_000_000)}0]]` : `[${'[0],'.repeat(1_000_000)}[0]]`, {}, undefined);
  }
}

/** This thread's /proc entry (`PID/task/TID`), so the driver can count its CPU time; null off Linux. */
function thread() {
  try {
    return readlinkSync('/proc/thread-self');
  } catch {
    return null;
  }
}
parentPort?.postMessage({ thread: thread() });

parentPort?.on('message', (/** @type {{ id: number, c: import('./generate.mjs').Case }} */ { id, c }) => {
  try {
    parentPort?.postMessage({ id, ok: exec(c) });
  } catch (e) {
    const err = /** @type {Error & { field?: string }} */ (e);
    parentPort?.postMessage({
      id,
      error: String(err?.message ?? err),
      field: err?.field,
      runtime: err instanceof WebAssembly.RuntimeError || /unreachable|panicked/.test(String(err?.message)),
    });
  }
});
