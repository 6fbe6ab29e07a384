// The playground: URL -> spec (validated by the wasm core) -> run -> plots and tables; every
// edit goes back into the URL. The page never computes maths and never inserts URL data as HTML.
import init, { schema as getSchema, specFromQuery, specToQuery, resolveSpec, toCsv, presets as getPresets } from './pkg/steepest.js';
import { Controls } from './controls.js';
import { Computer } from './compute.js';
import { Plots, figureName, viewOf } from './plots.js';
import { Geometry2dView } from './geometry2d.js';
import { renderSummary, renderGeometry, renderAnatomy, verdict } from './tables.js';

const $ = (id) => document.getElementById(id);
const state = { spec: null, result: null, report: null, timings: {}, issues: [] };
window.steepest = state; // for tests and the curious

function notice(title, lines) {
  const box = document.createElement('div');
  box.className = 'notice';
  box.setAttribute('role', 'alert');
  const head = document.createElement('strong');
  head.textContent = title;
  const list = document.createElement('ul');
  for (const l of lines) {
    const li = document.createElement('li');
    li.textContent = l;
    list.append(li);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'dismiss';
  close.textContent = 'Dismiss';
  close.addEventListener('click', () => box.remove());
  box.append(head, list, close);
  $('notices').append(box);
}

/** Page-owned query keys (embedding) survive spec updates. */
function pageKeys() {
  const q = new URLSearchParams(location.search);
  const keep = new URLSearchParams();
  for (const k of ['preset', 'view', 'embed', 'plot']) if (q.has(k)) keep.set(k, q.get(k));
  return keep.toString();
}

function updateUrl() {
  const extra = pageKeys();
  const query = specToQuery(state.spec) + (extra ? `&${extra}` : '');
  history.replaceState(null, '', `${location.pathname}?${query}`);
  const full = new URLSearchParams(query);
  full.delete('embed');
  full.delete('plot');
  full.delete('preset');
  full.delete('view');
  $('open-full').href = `${location.pathname}?${full}`;
}

function download(name, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function main() {
  const t0 = performance.now();
  await init();
  const schema = getSchema();
  const embed = new URLSearchParams(location.search).get('embed');
  if (embed === '1' || embed === 'true') {
    document.body.classList.add('embed');
    const q = new URLSearchParams(location.search);
    const figures = [...document.querySelectorAll('figure.plot')];
    const names = figures.map(figureName);
    const only = names.includes(q.get('plot')) ? q.get('plot') : 'f';
    figures.forEach((fig, k) => { fig.hidden = names[k] !== only; });
    // The figure decides the view (a sweep map needs the sweep, a heat map the Hessian analysis).
    if (viewOf(only) !== 'runs' && q.get('view') !== viewOf(only)) {
      q.set('view', viewOf(only));
      history.replaceState(null, '', `${location.pathname}?${q}`);
    }
  }

  const presets = getPresets();
  const picker = $('preset');
  for (const p of presets) {
    const o = document.createElement('option');
    o.value = p.name;
    o.textContent = p.title;
    picker.append(o);
  }
  function showStory() {
    const p = presets.find((x) => x.name === new URLSearchParams(location.search).get('preset'));
    picker.value = p ? p.name : '';
    $('story').hidden = !p;
    if (p) {
      $('story').querySelector('.story-title').textContent = p.title;
      $('story').querySelector('.story-text').textContent = p.look_for;
    }
  }
  function showVerdict() {
    const v = state.result && state.report ? verdict(state.result, state.report) : null;
    $('verdict').hidden = !v;
    $('verdict').textContent = v || '';
  }

  const VIEWS = ['runs', 'sweep', 'geometry2d', 'hessian'];
  const VIEW_GROUPS = {
    runs: ['problem', 'methods', 'run'],
    sweep: ['problem', 'run', 'sweep'],
    geometry2d: ['problem', 'methods', 'run'],
    hessian: ['problem', 'methods', 'run', 'analysis'],
  };
  const view = () => {
    const v = new URLSearchParams(location.search).get('view');
    return VIEWS.includes(v) ? v : 'runs';
  };
  function showView() {
    const v = view();
    for (const name of VIEWS) {
      const tab = $(`tab-${name}`);
      tab.setAttribute('aria-selected', String(name === v));
      tab.tabIndex = name === v ? 0 : -1;
      $(`${name}-view`).hidden = name !== v;
    }
  }
  function setView(v) {
    const q = new URLSearchParams(location.search);
    if (v !== 'runs') q.set('view', v);
    else q.delete('view');
    history.replaceState(null, '', `${location.pathname}?${q}`);
    showView();
    controls.render(state.spec, VIEW_GROUPS[v]);
    if (v !== 'geometry2d') geo.pause();
    schedule();
  }

  // A short link ?preset=NAME (no spec keys) stands for the preset's whole spec.
  const query = new URLSearchParams(location.search);
  const named = presets.find((p) => p.name === query.get('preset'));
  const specKeys = [...query.keys()].filter((k) => !['preset', 'view', 'embed', 'plot'].includes(k));
  const decoded = named && specKeys.length === 0 ? { spec: named.spec, issues: [] } : specFromQuery(location.search);
  if (named && specKeys.length === 0 && ['sweep', 'geometry2d', 'hessian'].includes(named.view) && !query.has('view')) {
    query.set('view', named.view);
    history.replaceState(null, '', `${location.pathname}?${query}`);
  }
  state.spec = decoded.spec;
  state.issues = decoded.issues;
  if (decoded.issues.length) {
    notice('Some settings in the link could not be used; they keep their defaults:', decoded.issues.map((i) => i.message));
  }

  const plots = new Plots($('figures'));
  const geo = new Geometry2dView($('geometry2d-view'), (x0) => {
    const candidate = structuredClone(state.spec);
    candidate.problem.x0 = x0;
    state.spec = candidate;
    controls.sync(state.spec);
    updateUrl();
    schedule();
  });
  function showGeometry2d() {
    const ok = Geometry2dView.supports(state.result) && state.report;
    $('geo-note').textContent = ok
      ? 'Each arrow is the steepest-descent direction −s of one norm; its tip lies on that norm\'s unit ball. Play the trajectories, or click to start elsewhere.'
      : 'The 2-D view needs a 2-D quadratic: choose the problem kind quad2d, or a 2 x 2 matrix.';
    if (ok) geo.set(state.result);
    const r = state.report;
    $('geo-constants').textContent = ok && r
      ? `L₂ = ${r.l2.toPrecision(4)}, L∞ = ${(r.linf_exact ?? r.linf_upper).toPrecision(4)}, ρ_diag = ${r.rho_diag.toPrecision(3)}, predicted d L₂ / L∞ = ${r.predicted_ratio.low.toPrecision(3)} (the Hessian is constant: these hold everywhere).`
      : '';
  }
  const computer = new Computer({
    onProgress: (p) => {
      $('progress').hidden = !p;
      if (p) {
        $('progress').querySelector('progress').value = p.fraction;
        $('progress').querySelector('.progress-text').textContent = `${p.phase}…`;
      }
    },
  });
  $('cancel').addEventListener('click', () => {
    computer.cancel();
    $('status').textContent = 'Cancelled. Change a setting to run again.';
  });

  let editStart = 0;
  /** Shows why a computation failed: beside the control it names, else in the status line
   * (`verb` says what did not happen); a cancellation is not a failure. */
  function fail(e, verb) {
    if (e.name === 'Cancelled') return;
    if (e.field && controls.showError(e.field, e.message)) $('status').textContent = `${verb}: ${e.message}`;
    else $('status').textContent = `Error: ${e.message}`;
  }

  async function recomputeSweep() {
    const spec = state.spec;
    $('status').textContent = 'Sweeping the grid in a worker…';
    const started = performance.now();
    try {
      const { sweep } = await computer.sweep(spec);
      state.sweep = sweep;
      plots.setSweep(sweep);
      const censored = sweep.cells.filter((c) => c.censored).length;
      $('status').textContent = `${sweep.cells.length} cells × ${spec.sweep.problems} problems in ${((performance.now() - started) / 1000).toFixed(1)} s; Spearman rank correlation of measured and predicted: ${sweep.spearman.toFixed(2)}${censored ? `; in ${censored} cells a run missed the target within ${spec.run.steps} steps (its count is a lower bound)` : ''}.`;
      state.sweeps = (state.sweeps || 0) + 1;
    } catch (e) {
      fail(e, 'Not run');
    }
  }

  async function recomputeAnatomy() {
    const spec = state.spec;
    $('status').textContent = 'Analysing the Hessian in a worker…';
    const started = performance.now();
    try {
      const { anatomy } = await computer.anatomy(spec);
      state.anatomy = anatomy;
      // Above the dense limit only the spectrum is estimated: no heat maps to show.
      if (!document.body.classList.contains('embed')) {
        for (const side of ['hessian', 'rotated']) document.querySelector(`figure[data-anatomy="${side}"]`).hidden = !anatomy.hessian;
        document.querySelector('figure[data-anatomy="track"]').hidden = anatomy.track.length === 0;
      }
      plots.setAnatomy(anatomy);
      renderAnatomy($('anatomy').querySelector('tbody'), anatomy);
      const ms = performance.now() - started;
      state.timings.lastAnatomy = ms;
      $('status').textContent = `Hessian of ${anatomy.d} parameters ${anatomy.scope}: analysed and drawn in ${(ms / 1000).toFixed(1)} s.`;
      state.anatomies = (state.anatomies || 0) + 1;
    } catch (e) {
      fail(e, 'Not analysed');
    }
  }

  async function recompute() {
    if (view() === 'sweep') return recomputeSweep();
    if (view() === 'hessian') return recomputeAnatomy();
    const started = performance.now();
    $('status').textContent = 'Running…';
    try {
      const spec = state.spec;
      const { result, report = null, where } = await computer.compute(spec);
      Object.assign(state, { result, report, where });
      const accuracy = document.querySelector('figure[data-plot="accuracy"]');
      if (!document.body.classList.contains('embed')) accuracy.hidden = !result.methods.some((m) => m.curves);
      plots.set(result, report);
      renderSummary($('summary').querySelector('tbody'), result);
      renderGeometry($('geometry').querySelector('tbody'), report, where === 'worker' ? 'Measuring in the worker…' : null);
      showVerdict();
      if (view() === 'geometry2d') showGeometry2d();
      const ms = performance.now() - started;
      $('status').textContent = `d = ${result.problem.d}; ${result.methods.length} methods; computed and drawn in ${ms.toFixed(0)} ms.`;
      state.timings.lastRun = ms;
      if (editStart) state.timings.lastEditToDraw = performance.now() - editStart;
      if (!state.timings.firstPlot) state.timings.firstPlot = performance.now();
      state.runs = (state.runs || 0) + 1;
      // From the worker the geometry follows the curves; on the main thread exact L_inf follows
      // its quick bracket.
      if (where === 'worker' || (report && report.linf_exact == null && (report.psd || report.d <= 24))) refineGeometry(spec);
    } catch (e) {
      fail(e, 'Not run');
    }
  }
  /** Exact L_inf in the worker after a quick main-thread bracket; dropped if settings change. */
  async function refineGeometry(spec) {
    try {
      const { report } = await computer.refine(spec);
      if (state.spec !== spec) return;
      state.report = report;
      plots.set(state.result, report);
      renderGeometry($('geometry').querySelector('tbody'), report);
      showVerdict();
      state.refined = (state.refined || 0) + 1;
    } catch (e) {
      if (e.name === 'Cancelled' || state.spec !== spec) return;
      renderGeometry($('geometry').querySelector('tbody'), null, `Not measured: ${e.message}.`);
      plots.set(state.result, null);
    }
  }
  // Run at once on an edit, at most once per animation frame: a burst of slider events
  // coalesces into one more run on the next frame.
  let ranThisFrame = false;
  let pending = false;
  function schedule() {
    if (ranThisFrame) {
      pending = true;
      return;
    }
    ranThisFrame = true;
    requestAnimationFrame(() => {
      ranThisFrame = false;
      if (pending) {
        pending = false;
        schedule();
      }
    });
    recompute();
  }

  const controls = new Controls($('controls'), schema, (mutate, field, structural) => {
    const candidate = structuredClone(state.spec);
    mutate(candidate);
    try {
      resolveSpec(candidate);
    } catch (e) {
      controls.showError(e.field || field, e.message);
      return;
    }
    editStart = performance.now();
    state.spec = candidate;
    if (structural) controls.render(state.spec, VIEW_GROUPS[view()]);
    else controls.sync(state.spec);
    updateUrl();
    schedule();
  });
  controls.render(state.spec, VIEW_GROUPS[view()]);
  updateUrl();
  showStory();
  showView();
  VIEWS.forEach((name, k) => {
    const tab = $(`tab-${name}`);
    tab.addEventListener('click', () => setView(name));
    tab.addEventListener('keydown', (e) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (!step) return;
      const next = VIEWS[(k + step + VIEWS.length) % VIEWS.length];
      $(`tab-${next}`).focus();
      setView(next);
    });
  });
  picker.addEventListener('change', () => {
    const p = presets.find((x) => x.name === picker.value);
    const q = new URLSearchParams(location.search);
    if (p) {
      const extra = ['embed', 'plot'].filter((k) => q.has(k)).map((k) => `&${k}=${encodeURIComponent(q.get(k))}`).join('');
      const v = ['sweep', 'geometry2d', 'hessian'].includes(p.view) ? `&view=${p.view}` : '';
      history.replaceState(null, '', `${location.pathname}?${p.query}${v}${extra}`);
      state.spec = p.spec;
    } else {
      q.delete('preset');
      history.replaceState(null, '', `${location.pathname}?${q}`);
    }
    controls.render(state.spec, VIEW_GROUPS[view()]);
    updateUrl();
    showStory();
    showView();
    schedule();
  });

  $('copy-link').addEventListener('click', async () => {
    const button = $('copy-link');
    try {
      await navigator.clipboard.writeText(location.href);
      button.textContent = 'Link copied';
    } catch {
      window.prompt('Copy this link:', location.href);
    }
    setTimeout(() => { button.textContent = 'Copy link'; }, 2000);
  });
  for (const b of document.querySelectorAll('[data-export]')) {
    b.addEventListener('click', async () => {
      const what = b.dataset.export;
      if (!state.result && !['sweep', 'spec', 'anatomy'].includes(what)) return;
      if (what.startsWith('png-')) download(`steepest-${what.slice(4)}.png`, await plots.png(what.slice(4)));
      else if (what === 'csv') download('steepest-traces.csv', new Blob([toCsv(state.result)], { type: 'text/csv' }));
      else if (what === 'result') download('steepest-result.json', new Blob([JSON.stringify(state.result)], { type: 'application/json' }));
      else if (what === 'report') download('steepest-smoothness.json', new Blob([JSON.stringify(state.report)], { type: 'application/json' }));
      else if (what === 'anatomy') download('steepest-hessian.json', new Blob([JSON.stringify(state.anatomy ?? null)], { type: 'application/json' }));
      else if (what === 'sweep') download('steepest-sweep.json', new Blob([JSON.stringify(state.sweep ?? null)], { type: 'application/json' }));
      else if (what === 'spec') download('steepest-spec.json', new Blob([JSON.stringify(resolveSpec(state.spec), null, 2)], { type: 'application/json' }));
    });
  }

  await recompute();
  state.timings.boot = performance.now() - t0;
  state.ready = true;
}

main().catch((e) => {
  $('status').textContent = `The page could not start: ${e.message}`;
  $('status').className = 'error';
});
