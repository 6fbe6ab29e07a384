// @ts-check
// Every view of the page, one row each: how it computes (which worker task, see worker.js) and
// shows its outcome (status line, tables), and its data exports. Its figures are the rows of
// figures.js with its id; the controls it shows are the schema's (`page.views[].groups`, from
// the core); its tab and panel are #tab-{id} and #{id}-view in index.html.
import { wasm } from './core.js';
import { Geometry2dView, supports2d } from './geometry2d.js';
import { renderSummary, renderGeometry, renderAnatomy, renderNormGeometry, verdict } from './tables.js';

/** @typedef {import('./types').ViewDef} ViewDef */
/** @typedef {import('./types').PageContext} PageContext */
/** @typedef {import('./types').PageState} PageState */
/** @typedef {import('./types').Spec} Spec */

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @param {string} table */
const rows = (table) => /** @type {HTMLTableSectionElement} */ ($(table).querySelector('tbody'));
/** @param {unknown} value */
const json = (value) => new Blob([JSON.stringify(value)], { type: 'application/json' });
/** @param {number} started */
const since = (started) => performance.now() - started;

/** The sentence setting measured against predicted advantage, when the run has one.
 * @param {PageState} state */
function showVerdict(state) {
  const v = state.result ? verdict(state.result) : null;
  $('verdict').hidden = !v;
  $('verdict').textContent = v || '';
}

/** Runs the methods (on the main thread when small, else in the worker's `run` task), shows the
 * curves and tables, then `more` (the 2-D view's drawing); exact L_inf follows.
 * @param {PageContext} ctx
 * @param {(ctx: PageContext) => void} [more] */
async function computeRuns(ctx, more) {
  const { state, computer, plots } = ctx;
  const started = performance.now();
  ctx.status('Running…');
  try {
    const spec = state.spec;
    const { result, report = null, where } = await computer.compute(spec);
    // The redraw's work (lastRun) is this computation, then the figures, tables and verdict.
    state.timings.lastCompute = since(started);
    Object.assign(state, { result, report, where });
    plots.set({ result, report });
    renderSummary(rows('summary'), result);
    renderGeometry(rows('geometry'), report, where === 'worker' ? 'Measuring in the worker…' : null);
    showVerdict(state);
    more?.(ctx);
    const ms = since(started);
    const n = result.methods.length;
    ctx.status(`${n} method${n === 1 ? '' : 's'}, d = ${result.problem.d}`, `computed and drawn in ${ms.toFixed(0)} ms`);
    state.timings.lastRun = ms;
    if (ctx.editStart) state.timings.lastEditToDraw = since(ctx.editStart);
    if (!state.timings.firstPlot) state.timings.firstPlot = performance.now();
    state.runs += 1;
    // From the worker the geometry follows the curves; on the main thread exact L_inf follows
    // its quick bracket.
    if (where === 'worker' || (report && report.linf_exact == null && (report.psd || report.d <= 24))) refineGeometry(ctx, spec);
  } catch (e) {
    ctx.fail(e, 'Not run');
  }
}

/** Exact L_inf in the worker's `smoothness` task after a quick main-thread bracket; dropped if
 * the settings change meanwhile.
 * @param {PageContext} ctx
 * @param {Spec} spec */
async function refineGeometry({ state, computer, plots }, spec) {
  try {
    const { report } = await computer.run('smoothness', spec);
    if (state.spec !== spec) return;
    state.report = report;
    plots.set({ report });
    renderGeometry(rows('geometry'), report);
    showVerdict(state);
    state.refined += 1;
  } catch (e) {
    if (/** @type {Error} */ (e).name === 'Cancelled' || state.spec !== spec) return;
    renderGeometry(rows('geometry'), null, `Not measured: ${/** @type {Error} */ (e).message}.`);
    plots.set({ report: null });
  }
}

/** The 2-D view's animation, made when the page starts; a click on it moves the start point.
 * @type {Geometry2dView | null} */
let geo = null;

/** The 2-D view's animation and read-outs, or why it cannot show this problem.
 * @param {PageContext} ctx */
function showGeometry2d({ state }) {
  const ok = supports2d(state.result) && state.report;
  $('geo-note').textContent = ok
    ? 'Each arrow is the steepest-descent direction −s of one norm; its tip lies on that norm\'s unit ball. Play the trajectories, or click to start elsewhere.'
    : 'The 2-D view needs a 2-D quadratic: choose the problem kind quad2d, or a 2 x 2 matrix.';
  if (ok) geo?.set(state.result);
  const r = state.report;
  $('geo-constants').textContent = ok && r
    ? `L₂ = ${r.l2.toPrecision(4)}, L∞ = ${(r.linf_exact ?? r.linf_upper).toPrecision(4)}, ρ_diag = ${r.rho_diag.toPrecision(3)}, ceiling d L₂ / L∞ = ${r.predicted_ratio.low.toPrecision(3)} (the Hessian is constant: these hold everywhere).`
    : '';
}

/** @type {ViewDef[]} In tab order. */
export const VIEWS = [
  {
    id: 'runs',
    compute: (ctx) => computeRuns(ctx),
    exports: [
      { id: 'csv', label: 'Traces (CSV)', file: 'steepest-traces.csv', needs: 'result', make: (s) => new Blob([wasm.toCsv(s.result)], { type: 'text/csv' }) },
      { id: 'result', label: 'Result (JSON)', file: 'steepest-result.json', needs: 'result', make: (s) => json(s.result) },
      { id: 'report', label: 'Smoothness report (JSON)', file: 'steepest-smoothness.json', needs: 'report', make: (s) => json(s.report) },
    ],
  },
  {
    id: 'sweep',
    async compute({ state, computer, plots, status, fail }) {
      const spec = state.spec;
      status('Sweeping the grid in a worker…');
      const started = performance.now();
      try {
        const { sweep } = await computer.run('sweep', spec);
        state.sweep = sweep;
        plots.set({ sweep });
        const censored = sweep.cells.filter((/** @type {any} */ c) => c.censored).length;
        status(`${sweep.cells.length} cells × ${spec.sweep.problems} problems; the prediction ranks the cells with Spearman ${sweep.predicted.spearman.toFixed(2)} and names the winner in ${(100 * sweep.predicted.winners).toFixed(0)}% of them; the ceiling ${sweep.ceiling.spearman.toFixed(2)} and ${(100 * sweep.ceiling.winners).toFixed(0)}%${censored ? `; in ${censored} cells a run missed the target within ${spec.run.steps} steps (its count is a lower bound)` : ''}.`, `computed in ${(since(started) / 1000).toFixed(1)} s`);
        state.sweeps += 1;
      } catch (e) {
        fail(e, 'Not run');
      }
    },
    exports: [
      { id: 'sweep-csv', label: 'Sweep cells (CSV)', file: 'steepest-sweep.csv', needs: 'sweep', make: (s) => new Blob([wasm.sweepCsv(s.sweep)], { type: 'text/csv' }) },
      { id: 'sweep', label: 'Sweep map (JSON)', file: 'steepest-sweep.json', needs: 'sweep', make: (s) => json(s.sweep) },
    ],
  },
  {
    id: 'geometry2d',
    init: (ctx) => {
      geo = new Geometry2dView($('geometry2d-view'), ctx.plots, (x0) => ctx.edit((spec) => { spec.problem.x0 = x0; }));
    },
    compute: (ctx) => computeRuns(ctx, showGeometry2d),
    leave: () => geo?.pause(),
    exports: [{ id: 'trajectories', label: 'Trajectories (CSV)', file: 'steepest-trajectories.csv', needs: 'result', make: (s) => new Blob([wasm.toCsv(s.result)], { type: 'text/csv' }) }],
  },
  {
    id: 'hessian',
    async compute({ state, computer, plots, status, fail }) {
      status('Analysing the Hessian in a worker…');
      const started = performance.now();
      try {
        const { anatomy } = await computer.run('anatomy', state.spec);
        state.anatomy = anatomy;
        // Above the dense limit only the spectrum is estimated: the heat maps hide.
        plots.set({ anatomy });
        renderAnatomy(rows('anatomy'), anatomy);
        renderNormGeometry(rows('anatomy-geometry'), anatomy);
        const ms = since(started);
        state.timings.lastAnatomy = ms;
        status(`Hessian of ${anatomy.d} parameters ${anatomy.scope}`, `analysed and drawn in ${(ms / 1000).toFixed(1)} s`);
        state.anatomies += 1;
      } catch (e) {
        fail(e, 'Not analysed');
      }
    },
    exports: [{ id: 'anatomy', label: 'Hessian analysis (JSON)', file: 'steepest-hessian.json', needs: 'anatomy', make: (s) => json(s.anatomy) }],
  },
];
