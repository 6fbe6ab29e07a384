// @ts-check
// Runs a spec: on the main thread when it is small (so a slider redraws within a frame), in a
// Web Worker otherwise (the page stays responsive, shows progress, and can cancel).
import { run, smoothness, workEstimate, specDimension, registerDataset, hasDataset } from './pkg/steepest.js';

/** @typedef {import('./types').Spec} Spec */
/** @typedef {{ phase: string, fraction: number }} ProgressReport */
/** @typedef {{ result?: any, report?: any, sweep?: any, anatomy?: any, where: 'main' | 'worker' }} Outcome */

// About 10 ms of work in wasm on a laptop core.
const MAIN_THREAD_WORK = 2e7;
const MAIN_THREAD_MAX_D = 150;
// On the main thread, exact L_inf only within a few milliseconds of work (branch and bound
// usually finishes far sooner); otherwise the bracket comes first and the worker refines it.
const MAIN_THREAD_EXACT_WORK = 1 << 22;

/** Fetches the shipped data file a network spec needs (data/NAME.bin, from this site) into
 * this thread's core, once.
 * @param {Spec} spec */
export async function ensureData(spec) {
  if (spec.problem.kind !== 'network' || hasDataset(spec.problem.dataset)) return;
  const name = spec.problem.dataset;
  const res = await fetch(new URL(`../data/${name}.bin`, import.meta.url));
  if (!res.ok) throw Object.assign(new Error(`problem.dataset: could not fetch data/${name}.bin (HTTP ${res.status})`), { field: 'problem.dataset' });
  if (!hasDataset(name)) registerDataset(name, new Uint8Array(await res.arrayBuffer()));
}

export class Computer {
  /** @param {{ onProgress: (p: ProgressReport | null) => void }} options */
  constructor({ onProgress }) {
    this.onProgress = onProgress;
    /** @type {Worker | null} */
    this.worker = null;
    this.nextId = 1;
    /** @type {{ id: number, resolve: (o: Outcome) => void, reject: (e: Error) => void } | null} */
    this.pending = null;
  }

  /** Resolves to {result, report} on the main thread, or to {result} from the worker (the page
   * then asks for the report separately, so the curves show first); rejects with an Error (with .field for spec errors), or with
   * an Error named 'Cancelled' when cancelled or superseded by a newer request.
   * @param {Spec} spec
   * @returns {Promise<Outcome>} */
  async compute(spec) {
    this.cancel();
    if (workEstimate(spec) <= MAIN_THREAD_WORK && specDimension(spec) <= MAIN_THREAD_MAX_D) {
      await ensureData(spec);
      const report = smoothness(spec, { exact: 'auto', exact_work: MAIN_THREAD_EXACT_WORK });
      return { result: run(spec), report, where: 'main' };
    }
    return this.inWorker(spec, 'run');
  }

  /** A task of worker.js (`sweep`, `anatomy`, `smoothness`, ...) in the worker; resolves and
   * rejects like `compute`.
   * @param {string} task
   * @param {Spec} spec
   * @returns {Promise<Outcome>} */
  run(task, spec) {
    this.cancel();
    return this.inWorker(spec, task);
  }

  /** @param {Spec} spec
   * @param {string} task
   * @returns {Promise<Outcome>} */
  inWorker(spec, task) {
    if (!this.worker) {
      this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
      this.worker.onmessage = ({ data }) => this.receive(data);
      this.worker.onerror = (e) => this.fail(new Error(`the worker failed: ${e.message}`));
    }
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject };
      this.onProgress({ phase: 'starting', fraction: 0 });
      worker.postMessage({ id, spec, task });
    });
  }

  /** @param {any} msg a message of worker.js */
  receive(msg) {
    if (!this.pending || msg.id !== this.pending.id) return;
    if (msg.type === 'progress') return this.onProgress(msg);
    const { resolve, reject } = this.pending;
    this.pending = null;
    this.onProgress(null);
    if (msg.type === 'done') resolve({ result: msg.result, report: msg.report, sweep: msg.sweep, anatomy: msg.anatomy, where: 'worker' });
    else reject(Object.assign(new Error(msg.message), { field: msg.field }));
  }

  /** @param {Error} error */
  fail(error) {
    if (!this.pending) return;
    const { reject } = this.pending;
    this.pending = null;
    this.onProgress(null);
    this.worker?.terminate();
    this.worker = null;
    reject(error);
  }

  /** Stops the running request, if any (the worker is restarted on the next request). */
  cancel() {
    if (!this.pending) return;
    const err = new Error('cancelled');
    err.name = 'Cancelled';
    this.fail(err);
  }
}
