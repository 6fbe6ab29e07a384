// @ts-check
// Runs experiments off the main thread: the same wasm core, the same numbers. Messages in:
// {core, module}, a core compiled by the page (core.js), before the first task that uses it;
// {id, spec, task, core, ...} with a task of TASKS and what it reads (`cells`: a sweep's cells,
// by index, for sweepCells; `which`: a run's methods, by index, for runMethods, and `methods`,
// their results, for assembleRun; `part`, `parts` and `blocks` for the parts of a rotated
// quadratic).
// Out: {id, type: 'progress', phase, fraction} | {id, type: 'done', ...what the task returns}
// (a part's numbers transferred, not copied) | {id, type: 'error', message, field}.
import { wasm, load } from './core.js';
import { ensureData } from './data.js';

/** @typedef {(fraction: number, stage?: string) => boolean} Progress */
/** What a task message carries besides its spec (`blocks`: every worker's part but this
 * worker's own, null, which it kept: `made`).
 * @typedef {{ cells?: number[], which?: number[], methods?: any[], part?: number, parts?: number, blocks?: (Float64Array | null)[] }} Inputs */

/** The parts of a rotated quadratic this worker made last (of Q_r, then of H), kept for the task
 * that reads every worker's part: the page sends it only the others' (compute.js), saving the
 * copying of its own there and back.
 * @type {{ rotationPart?: Float64Array, hessianPart?: Float64Array }} */
let made = {};

/** The parts with this worker's own put in its place.
 * @param {(Float64Array | null)[]} blocks
 * @param {Float64Array | undefined} own */
function withOwn(blocks, own) {
  if (!own) throw new Error('this worker has not made its part');
  return blocks.map((b) => b ?? own);
}

/** The tasks, by name: the phase shown when it starts, the phase of its progress reports, and
 * what it computes. */
const TASKS = {
  // Its stages (making the problem, tuning, running the methods) come from the core.
  run: { exec: (/** @type {any} */ spec, /** @type {Progress} */ progress) => ({ result: wasm.run(spec, progress) }) },
  // This worker's share of a run's methods, and the run put together from every share
  // (compute.js: the pool runs the methods of a run side by side).
  runMethods: {
    exec: (/** @type {any} */ spec, /** @type {Progress} */ progress, /** @type {Inputs} */ { which = [] }) => ({ methods: wasm.runMethods(spec, Uint32Array.from(which), progress) }),
  },
  assembleRun: { exec: (/** @type {any} */ spec, /** @type {Progress} */ _, /** @type {Inputs} */ { methods = [] }) => ({ result: wasm.assembleRun(spec, methods) }) },
  smoothness: {
    begins: 'measuring the geometry',
    phase: 'measuring the geometry',
    exec: (/** @type {any} */ spec, /** @type {Progress} */ progress) => ({ report: wasm.smoothness(spec, undefined, progress) }),
  },
  // This worker's share of a sweep (compute.js puts the shares together).
  sweepCells: {
    phase: 'sweeping the grid',
    exec: (/** @type {any} */ spec, /** @type {Progress} */ progress, /** @type {Inputs} */ { cells = [] }) => ({ cells: wasm.sweepCells(spec, Uint32Array.from(cells), progress) }),
  },
  anatomy: {
    begins: 'training to the checkpoint',
    phase: 'the Hessian and its spectrum',
    exec: (/** @type {any} */ spec, /** @type {Progress} */ progress) => ({ anatomy: wasm.hessianAnatomy(spec, progress) }),
  },
  // A rotated quadratic made by the pool (compute.js): whether this worker has it already, this
  // worker's part of Q_r's columns, then of H's rows, and H kept for the run.
  keeps: { exec: (/** @type {any} */ spec) => ({ keeps: wasm.keeps(spec) }) },
  rotationPart: {
    phase: 'making the problem',
    exec: (/** @type {any} */ spec, /** @type {Progress} */ progress, /** @type {Inputs} */ { part = 0, parts = 1 }) => {
      const rotationPart = wasm.rotationPart(spec, part, parts, progress);
      made = { rotationPart };
      return { part: rotationPart.slice() };
    },
  },
  hessianPart: {
    phase: 'making the problem',
    exec: (/** @type {any} */ spec, /** @type {Progress} */ progress, /** @type {Inputs} */ { part = 0, parts = 1, blocks = [] }) => {
      const hessianPart = wasm.hessianPart(spec, withOwn(blocks, made.rotationPart), part, parts, progress);
      made = { hessianPart };
      return { part: hessianPart.slice() };
    },
  },
  keepRotated: {
    exec: (/** @type {any} */ spec, /** @type {Progress} */ _, /** @type {Inputs} */ { blocks = [] }) => {
      wasm.keepRotated(spec, withOwn(blocks, made.hessianPart));
      made = {};
      return {};
    },
  },
};
/** @typedef {keyof typeof TASKS} Task */

/** A progress callback for the core that posts at once when the stage changes, else at most
 * every 100 ms.
 * @param {number} id
 * @param {string} phase the stage when the core names none
 * @returns {Progress} */
function reporter(id, phase) {
  let last = 0;
  let said = '';
  return (f, stage = phase) => {
    const now = Date.now();
    if (now - last > 100 || stage !== said) {
      last = now;
      said = stage;
      self.postMessage({ id, type: 'progress', phase: stage, fraction: f });
    }
    return true;
  };
}

/** The compiled cores the page sent, by name. @type {Partial<Record<import('./core.js').CoreName, WebAssembly.Module>>} */
const modules = {};

/** @param {MessageEvent<{ core: import('./core.js').CoreName, module: WebAssembly.Module } | Inputs & { id: number, spec: any, task: Task, core: import('./core.js').CoreName }>} event */
self.onmessage = async ({ data }) => {
  if (!('id' in data)) {
    modules[data.core] = data.module;
    return;
  }
  const { id, spec, task, core } = data;
  try {
    await load(core, modules[core]);
    await ensureData(spec);
    /** @type {{ begins?: string, phase?: string, exec: (spec: any, progress: Progress, inputs: Inputs) => object }} */
    const t = TASKS[task];
    if (t.begins) self.postMessage({ id, type: 'progress', phase: t.begins, fraction: 0 });
    const out = t.exec(spec, reporter(id, t.phase ?? t.begins ?? task), data);
    const part = /** @type {{ part?: Float64Array }} */ (out).part;
    self.postMessage({ id, type: 'done', ...out }, { transfer: part ? [part.buffer] : [] });
  } catch (e) {
    const err = /** @type {Error & { field?: string }} */ (e);
    self.postMessage({ id, type: 'error', message: err.message, field: err.field });
  }
};
