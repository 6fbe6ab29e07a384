// @ts-check
// Runs a spec: on the main thread when it is small (so a slider redraws within a frame), in a
// Web Worker otherwise (the page stays responsive, shows progress, and can cancel); a run's
// methods, a sweep's cells, and the making of a large rotated quadratic, in a pool of workers,
// one per core.
import { wasm, coreName, compiledCore } from './core.js';
import { ensureData } from './data.js';

/** @typedef {import('./types').Spec} Spec */
/** @typedef {{ phase: string, fraction: number }} ProgressReport */
/** @typedef {{ result?: any, report?: any, sweep?: any, anatomy?: any, where: 'main' | 'worker' }} Outcome */
/** What a task message of worker.js carries besides its id and spec (its Float64Arrays are
 * transferred, not copied: `post`).
 * @typedef {{ task: string, cells?: number[], which?: number[], methods?: any[], part?: number, parts?: number, blocks?: (Float64Array | null)[] }} TaskInputs */

// About 10 ms of work in wasm on a laptop core.
const MAIN_THREAD_WORK = 2e7;
const MAIN_THREAD_MAX_D = 150;
// On the main thread, exact L_inf only within a few milliseconds of work (branch and bound
// usually finishes far sooner); otherwise the bracket comes first and the worker refines it.
const MAIN_THREAD_EXACT_WORK = 1 << 22;

// The sweep's pool: a worker per core, at least 1 and at most 8 (each holds its own instance of
// the core; beyond 8 the page would mostly add memory).
const POOL_MAX = 8;

// From this size on, a rotated quadratic (O(d^3) to make: a second or more from d = 1000) is made
// by the pool; below it, the parts' messages would cost about what they save.
const POOL_MIN_ROTATED_D = 256;

/** Hands out the workers' parts (part k made by worker k) to workers 0..count-1, each of which
 * has kept its own: worker k's share is every part but its own (null), each part transferred
 * to the last worker that takes it and copied for the others (worker.js: `made`).
 * @param {Float64Array[]} parts
 * @param {number} count
 * @returns {(k: number) => (Float64Array | null)[]} */
function handOut(parts, count) {
  const last = (/** @type {number} */ j) => (j === count - 1 ? count - 2 : count - 1);
  return (k) => parts.map((p, j) => (j === k ? null : k === last(j) ? p : p.slice()));
}

/** How many methods a spec runs; 1 for a bad spec (the worker that runs it reports it).
 * @param {Spec} spec */
function methodCount(spec) {
  try {
    return wasm.resolveSpec(spec).methods.length;
  } catch {
    return 1;
  }
}

/** How many workers share a sweep's cells, or the making of a rotated quadratic, on this machine. */
export function poolSize() {
  return Math.min(POOL_MAX, Math.max(1, navigator.hardwareConcurrency || 1));
}

/** @param {any} msg an error message of worker.js */
function errorOf(msg) {
  return Object.assign(new Error(msg.message), { field: msg.field });
}

export class Computer {
  /** @param {{ onProgress: (p: ProgressReport | null) => void }} options */
  constructor({ onProgress }) {
    this.onProgress = onProgress;
    /** The workers, each started on first use: the first runs every task, and all of them
     * share a sweep's cells. Each has the cores sent to it (as compiled modules, so it fetches
     * none), by name: each resolves once its message is posted.
     * @type {{ worker: Worker, cores: Partial<Record<import('./core.js').CoreName, Promise<void>>> }[]} */
    this.workers = [];
    this.nextId = 1;
    /** The running request: its id, what to do with each message of its workers (and which
     * worker sent it), and how it fails.
     * @type {{ id: number, receive: (msg: any, from: number) => void, reject: (e: Error) => void } | null} */
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

  /** A task of worker.js (`anatomy`, `smoothness`, ...) in the worker, or the sweep in the
   * pool; resolves and rejects like `compute`.
   * @param {string} task
   * @param {Spec} spec
   * @returns {Promise<Outcome>} */
  run(task, spec) {
    this.cancel();
    return task === 'sweep' ? this.sweepInPool(spec) : this.inWorker(spec, task);
  }

  /** A task in the first worker, once the pool has made the spec's problem if it is a large
   * rotated quadratic that the workers do not keep yet (`makeInPool`); a run of two or more
   * methods in the pool, a method a worker (`runInPool`).
   * @param {Spec} spec
   * @param {string} task
   * @returns {Promise<Outcome>} */
  inWorker(spec, task) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, reject, receive: () => {} };
      this.onProgress({ phase: 'starting', fraction: 0 });
      /** @param {Error} e */
      const fail = (e) => {
        if (this.pending?.id !== id) return;
        this.settle();
        reject(e);
      };
      // The workers that run the methods: one each while there are workers.
      const methods = task === 'run' ? methodCount(spec) : 1;
      const runners = Math.min(poolSize(), methods);
      this.makeInPool(id, spec, task, runners).then((from) => {
        if (this.pending?.id !== id) return;
        if (runners > 1) return this.runInPool(id, spec, methods, from).then(resolve, fail);
        this.pending.receive = (msg) => {
          if (msg.type === 'progress') return this.onProgress({ phase: msg.phase, fraction: from + (1 - from) * msg.fraction });
          this.settle();
          if (msg.type === 'done') resolve({ result: msg.result, report: msg.report, anatomy: msg.anatomy, where: 'worker' });
          else reject(errorOf(msg));
        };
        this.post(0, { id, spec, task });
      }, fail);
    });
  }

  /** Request `id`'s run with its methods shared by the pool (`share`: a worker takes the next
   * method as it finishes one, on its own copy of the problem), then put together by the first
   * worker (`assembleRun`); each method's result is the whole run's (src/web/methods.rs), so the
   * run's result is too. Its progress goes on from `from`, what making the problem showed.
   * @param {number} id
   * @param {Spec} spec
   * @param {number} count its methods
   * @param {number} from
   * @returns {Promise<Outcome>} */
  async runInPool(id, spec, count, from) {
    const parts = await this.share(id, spec, count, (i) => ({ task: 'runMethods', which: [i] }), { phase: 'running the methods', from, to: 1 });
    const [made] = await this.gather(id, spec, 1, () => ({ task: 'assembleRun', methods: parts.map((m) => m.methods[0]) }));
    this.settle();
    return { result: made.result, where: 'worker' };
  }

  /** Makes a large rotated quadratic with every worker of the pool, and has the first `keepers`
   * workers keep it (then the task that follows makes nothing): each worker makes a part of
   * Q_r's columns, then, from all of them, a part of H's rows (O(d^3) each, shown as half of the
   * making each, as the core shows them); the core puts the parts together to the bits of a
   * whole (src/web/rotated.rs).
   * Does nothing for other specs, on one core, or when the keepers keep the problem. Its
   * progress before a run is shown on the run's scale (up to the share the run gives it, from
   * which the run's own goes on: the core counts no making for a problem kept), and it resolves
   * to the progress shown (0 for another task, whose progress starts anew, or when nothing was
   * made).
   * @param {number} id
   * @param {Spec} spec
   * @param {string} task
   * @param {number} keepers
   * @returns {Promise<number>} */
  async makeInPool(id, spec, task, keepers) {
    const parts = poolSize();
    /** @type {{ d: number, share: number } | null} */
    let making = null;
    try {
      making = wasm.rotatedMaking(spec);
    } catch {
      return 0; // a bad spec: the task itself reports it
    }
    if (parts < 2 || !making || making.d < POOL_MIN_ROTATED_D) return 0;
    const kept = await this.gather(id, spec, keepers, () => ({ task: 'keeps' }));
    const [phase, end] = ['making the problem', task === 'run' ? making.share : 1];
    if (kept.every((m) => m.keeps)) return 0;
    const shown = task === 'run' ? end : 0;
    const columns = await this.gather(id, spec, parts, (part) => ({ task: 'rotationPart', part, parts }), { phase, from: 0, to: end / 2 });
    const toColumns = handOut(columns.map((m) => m.part), parts);
    const rows = await this.gather(id, spec, parts, (part) => ({ task: 'hessianPart', part, parts, blocks: toColumns(part) }), { phase, from: end / 2, to: end });
    const toRows = handOut(rows.map((m) => m.part), keepers);
    await this.gather(id, spec, keepers, (k) => ({ task: 'keepRotated', blocks: toRows(k) }));
    return shown;
  }

  /** Request `id`'s task `message(k)` in workers 0..count-1 at once: resolves to their answers
   * in worker order, rejects with the first error; their progress, averaged, is shown as
   * `show.phase` between `show.from` and `show.to`.
   * @param {number} id
   * @param {Spec} spec
   * @param {number} count
   * @param {(k: number) => TaskInputs} message
   * @param {{ phase: string, from: number, to: number }} [show]
   * @returns {Promise<any[]>} */
  gather(id, spec, count, message, show) {
    return new Promise((resolve, reject) => {
      if (this.pending?.id !== id) return;
      /** @type {any[]} */
      const answers = new Array(count);
      const partly = new Array(count).fill(0);
      let left = count;
      this.pending.receive = (msg, k) => {
        if (msg.type === 'error') return reject(errorOf(msg));
        if (msg.type === 'progress') partly[k] = msg.fraction;
        else {
          answers[k] = msg;
          partly[k] = 1;
          left -= 1;
        }
        if (show) this.onProgress({ phase: show.phase, fraction: show.from + (show.to - show.from) * partly.reduce((a, b) => a + b, 0) / count });
        if (left === 0) resolve(answers);
      };
      for (let k = 0; k < count; k++) this.post(k, { id, spec, ...message(k) });
    });
  }

  /** The sweep, its cells shared by the pool (`share`) and put together in grid order by the
   * core (`assembleSweep`). Every cell is computed by the same code whichever worker takes it,
   * so the result is the same for any number of workers, and the CLI's.
   * @param {Spec} spec
   * @returns {Promise<Outcome>} */
  sweepInPool(spec) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, reject, receive: () => {} };
      this.onProgress({ phase: 'starting', fraction: 0 });
      const shared = async () => {
        const { sweep } = wasm.resolveSpec(spec);
        const count = sweep.rotation_points * sweep.spread_points;
        const answers = await this.share(id, spec, count, (cell) => ({ task: 'sweepCells', cells: [cell] }), { phase: 'sweeping the grid', from: 0, to: 1 });
        this.settle();
        return { sweep: wasm.assembleSweep(spec, answers.map((m) => m.cells[0])), where: /** @type {const} */ ('worker') };
      };
      shared().then(resolve, (/** @type {Error} */ e) => {
        if (this.pending?.id !== id) return;
        this.settle();
        reject(e);
      });
    });
  }

  /** Request `id`'s items 0..count-1 (`message(item)`: the task of one) shared by the pool: each
   * worker takes the next item as it finishes one (items differ a lot in cost, so a fixed split
   * would leave workers idle). Resolves to their answers in item order, rejects with the first
   * error; their progress (the items done, and those under way by their fractions) is shown
   * between `show.from` and `show.to`, under the stage a worker names, else `show.phase`.
   * @param {number} id
   * @param {Spec} spec
   * @param {number} count
   * @param {(item: number) => TaskInputs} message
   * @param {{ phase: string, from: number, to: number }} show
   * @returns {Promise<any[]>} */
  share(id, spec, count, message, show) {
    return new Promise((resolve, reject) => {
      if (this.pending?.id !== id) return;
      const size = Math.min(poolSize(), count);
      /** @type {any[]} */
      const answers = new Array(count);
      /** Each worker's item, and the fraction of it done. */
      const taken = new Array(size).fill(0);
      const partly = new Array(size).fill(0);
      let next = 0;
      let done = 0;
      /** @param {number} k */
      const give = (k) => {
        if (next >= count) return;
        taken[k] = next++;
        partly[k] = 0;
        this.post(k, { id, spec, ...message(taken[k]) });
      };
      this.pending.receive = (msg, k) => {
        if (msg.type === 'error') return reject(errorOf(msg));
        if (msg.type === 'progress') partly[k] = msg.fraction;
        else {
          answers[taken[k]] = msg;
          done += 1;
          partly[k] = 0;
          give(k);
        }
        if (done === count) return resolve(answers);
        this.onProgress({ phase: msg.phase ?? show.phase, fraction: show.from + (show.to - show.from) * (done + partly.reduce((a, b) => a + b, 0)) / count });
      };
      for (let k = 0; k < size; k++) give(k);
    });
  }

  /** Posts a task to worker k (started on first use) once it holds the core this thread uses
   * (the full one once a spec needed it).
   * @param {number} k
   * @param {{ id: number, spec: Spec } & TaskInputs} msg */
  post(k, msg) {
    const w = this.workers[k] ??= this.startWorker(k);
    const core = coreName;
    const sent = w.cores[core] ??= compiledCore(core).then((module) => w.worker.postMessage({ core, module }));
    const transfer = (msg.blocks ?? []).flatMap((b) => (b ? [b.buffer] : []));
    sent.then(() => w.worker.postMessage({ ...msg, core }, { transfer }), (e) => this.fail(e));
  }

  /** @param {number} k
   * @returns {{ worker: Worker, cores: Partial<Record<import('./core.js').CoreName, Promise<void>>> }} */
  startWorker(k) {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => {
      if (this.pending && data.id === this.pending.id) this.pending.receive(data, k);
    };
    worker.onerror = (/** @type {ErrorEvent} */ e) => this.fail(new Error(`the worker failed: ${e.message}`));
    return { worker, cores: {} };
  }

  /** Ends the running request's progress; its workers stay for the next. */
  settle() {
    this.pending = null;
    this.onProgress(null);
  }

  /** Fails the running request and stops every worker (they are restarted on the next request).
   * @param {Error} error */
  fail(error) {
    if (!this.pending) return;
    const { reject } = this.pending;
    this.settle();
    for (const { worker } of this.workers) worker.terminate();
    this.workers = [];
    reject(error);
  }

  /** Stops the running request, if any. */
  cancel() {
    if (!this.pending) return;
    const err = new Error('cancelled');
    err.name = 'Cancelled';
    this.fail(err);
  }
}
