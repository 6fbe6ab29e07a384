// @ts-check
// Runs a spec: on the main thread when it is small (so a slider redraws within a frame), in a
// Web Worker otherwise (the page stays responsive, shows progress, and can cancel).
import { wasm, coreName, compiledCore } from './core.js';
import { ensureData } from './data.js';

/** @typedef {import('./types').Spec} Spec */
/** @typedef {{ phase: string, fraction: number }} ProgressReport */
/** @typedef {{ result?: any, report?: any, sweep?: any, anatomy?: any, where: 'main' | 'worker' }} Outcome */

// About 10 ms of work in wasm on a laptop core.
const MAIN_THREAD_WORK = 2e7;
const MAIN_THREAD_MAX_D = 150;
// On the main thread, exact L_inf only within a few milliseconds of work (branch and bound
// usually finishes far sooner); otherwise the bracket comes first and the worker refines it.
const MAIN_THREAD_EXACT_WORK = 1 << 22;

export class Computer {
  /** @param {{ onProgress: (p: ProgressReport | null) => void }} options */
  constructor({ onProgress }) {
    this.onProgress = onProgress;
    /** @type {Worker | null} */
    this.worker = null;
    /** The cores sent to the worker (as compiled modules, so it fetches none), by name: each
     * resolves once its message is posted. @type {Partial<Record<import('./core.js').CoreName, Promise<void>>>} */
    this.workerCores = {};
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
    if (wasm.workEstimate(spec) <= MAIN_THREAD_WORK && wasm.specDimension(spec) <= MAIN_THREAD_MAX_D) {
      await ensureData(spec);
      const report = wasm.smoothness(spec, { exact: 'auto', exact_work: MAIN_THREAD_EXACT_WORK });
      return { result: wasm.run(spec), report, where: 'main' };
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
      this.workerCores = {};
    }
    const id = this.nextId++;
    const worker = this.worker;
    // The worker computes with the core this thread uses (the full one once a spec needed it).
    const core = coreName;
    const sent = this.workerCores[core] ??= compiledCore(core).then((module) => worker.postMessage({ core, module }));
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject };
      this.onProgress({ phase: 'starting', fraction: 0 });
      sent.then(() => worker.postMessage({ id, spec, task, core }), (e) => this.fail(e));
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
