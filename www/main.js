// @ts-check
// The playground: URL -> spec (validated by the wasm core) -> the current view's computation ->
// figures and tables; every edit goes back into the URL. The page never computes maths and never
// inserts URL data as HTML. This module only wires the parts together: the registries of views
// (views.js) and figures (figures.js), the URL state (page-url.js), the controls, tabs, presets,
// export menu and notices, and the per-frame recompute.
import { wasm, load, needsFull } from './core.js';
import { Controls } from './controls.js';
import { Computer } from './compute.js';
import { Plots } from './plots.js';
import { FIGURES } from './figures.js';
import { VIEWS } from './views.js';
import { PageUrl } from './page-url.js';
import { Tabs } from './tabs.js';
import { PresetPicker } from './presets.js';
import { menuExports, fillExportMenu } from './exports.js';
import { notice, clearNotice } from './notices.js';
import { perFrame } from './recompute.js';
import { dressEmbed, embedOptions, postHeight } from './embed-page.js';
import { addEmbedActions } from './embed-snippet.js';

/** @typedef {import('./types').PageState} PageState */
/** @typedef {import('./types').PageContext} PageContext */
/** @typedef {import('./types').Preset} Preset */
/** @typedef {import('./types').Schema} Schema */

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** The status line says what is shown; `detail` (timings) goes in its tooltip.
 * @param {string} text
 * @param {string} [detail] */
const status = (text, detail = '') => {
  $('status').textContent = text;
  $('status').title = detail;
};

/** @type {PageState} */
const state = { spec: null, result: null, report: null, timings: {}, issues: [], runs: 0, refined: 0, sweeps: 0, anatomies: 0 };
window.steepest = state; // for tests and the curious

/** The settings panel on narrow screens: a bottom sheet opened by the Settings button, closed by
 * its Close button or Escape, with focus moved into it and back (beside the figures on wide
 * screens, where the button is hidden: style.css). */
function settingsDrawer() {
  const button = $('settings-open');
  const panel = $('settings');
  /** @param {boolean} open */
  const show = (open) => {
    document.body.classList.toggle('settings-shown', open);
    button.setAttribute('aria-expanded', String(open));
    if (open) {
      // The sheet covers the lower part of the screen: bring the first figure above it.
      const figure = [...document.querySelectorAll('#figures figure')].find((f) => /** @type {HTMLElement} */ (f).offsetParent !== null);
      if (getComputedStyle(panel).position === 'fixed') figure?.scrollIntoView({ block: 'start' });
      /** @type {HTMLElement} */ (panel.querySelector('select, input, button:not(#settings-close)'))?.focus({ preventScroll: true });
    }
    else if (panel.contains(document.activeElement)) button.focus();
  };
  button.addEventListener('click', () => show(button.getAttribute('aria-expanded') !== 'true'));
  $('settings-close').addEventListener('click', () => show(false));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') show(false);
  });
}

async function main() {
  const t0 = performance.now();
  settingsDrawer();
  await load('page');
  /** @type {Schema} */
  const schema = wasm.schema();
  const presets = wasm.presets();
  const url = new PageUrl(schema, presets);
  const unmatched = url.views.filter((id) => !VIEWS.some((v) => v.id === id)).concat(VIEWS.map((v) => v.id).filter((id) => !url.views.includes(id)));
  if (unmatched.length) throw new Error(`views ${unmatched.join(', ')}: the core's schema and www/views.js must list the same views`);
  const view = () => /** @type {import('./types').ViewDef} */ (VIEWS.find((v) => v.id === url.view()));
  /** The schema's view `id`: the control groups it shows and the settings it overrides.
   * @param {string} id */
  const pageView = (id) => /** @type {import('./types').PageView} */ (schema.page.views.find((v) => v.id === id));

  const embed = ['1', 'true'].includes(url.query().get('embed') ?? '');
  if (embed) {
    const q = url.query();
    const only = FIGURES.find((f) => f.name === q.get('plot')) ?? FIGURES[0];
    dressEmbed(only, FIGURES, embedOptions(schema.page.options, q));
    postHeight();
    // The figure decides the view (a sweep map needs the sweep, a heat map the Hessian analysis).
    if (only.view !== url.views[0] && q.get('view') !== only.view) {
      q.set('view', only.view);
      url.replace(q);
    }
  }

  const picker = new PresetPicker(presets, pickPreset);
  // A short link ?preset=NAME (no spec keys) stands for the preset's whole spec.
  const named = picker.find(url.query().get('preset'));
  const short = named && url.specKeys().length === 0;
  const decoded = short ? { spec: named.spec, issues: [] } : wasm.specFromQuery(location.search);
  if (short && url.views.includes(named.view) && !url.query().has('view')) url.setView(named.view);
  state.spec = decoded.spec;
  state.issues = decoded.issues;
  const ignored = decoded.issues.map((/** @type {{ message: string }} */ i) => i.message).concat(url.ignored(FIGURES.map((f) => f.name)));
  if (ignored.length) notice('Some settings in the link could not be used; they keep their defaults:', ignored);

  const plots = new Plots(FIGURES, embed);
  plots.listeners.push((data) => picker.check(data));
  /** The spec whose results each view shows (by view id). @type {Map<string, import('./types').Spec>} */
  const shown = new Map();
  plots.listeners.push(() => {
    shown.set(url.view(), state.spec);
    stale(null);
  });
  const computer = new Computer({
    onProgress: (p) => {
      $('progress').classList.toggle('idle', !p);
      if (p) {
        const bar = /** @type {HTMLProgressElement} */ ($('progress').querySelector('progress'));
        bar.value = p.fraction;
        /** @type {HTMLElement} */ ($('progress').querySelector('.progress-text')).textContent = `${p.phase}… ${Math.floor(100 * p.fraction)}%`;
      }
    },
  });
  /** Marks the figures as not showing the settings in the controls and the link (`why`), with a
   * Run button; null clears the mark.
   * @param {string | null} why */
  function stale(why) {
    $('figures').classList.toggle('stale', Boolean(why));
    $('stale').hidden = !why;
    /** @type {HTMLElement} */ ($('stale').firstElementChild).textContent = why ?? '';
  }
  // After Cancel the controls and the link keep the new settings; the figures say whether they
  // still show them, and Run computes them.
  $('cancel').addEventListener('click', () => {
    computer.cancel();
    const before = shown.get(url.view());
    status('Cancelled.');
    if (!before) stale('Cancelled before anything was computed.');
    else if (before !== state.spec) stale('Cancelled: the figures show earlier settings, not those of the controls and the link.');
  });
  $('run-again').addEventListener('click', () => schedule());

  /** @type {PageContext} */
  const ctx = { state, computer, plots, status, fail, editStart: 0, edit };
  /** Shows why a computation failed: beside the control it names, else in the status line
   * (`verb` says what did not happen); a cancellation is not a failure.
   * @param {any} e
   * @param {string} verb */
  function fail(e, verb) {
    if (e.name === 'Cancelled') return;
    // A setting at fault is named in the notice area too: its control may be out of sight.
    if (e.field) notice(`${verb}:`, [e.message], 'edit');
    if (e.field && controls.showError(e.field, e.message)) status(`${verb}: ${e.message}`);
    else status(`Error: ${e.message}`);
  }
  /** @param {(spec: import('./types').Spec) => void} mutate */
  function edit(mutate) {
    const candidate = structuredClone(state.spec);
    mutate(candidate);
    state.spec = candidate;
    controls.sync(state.spec);
    edited();
    schedule();
  }
  /** After an edit of the settings: the URL carries them, and no longer the preset's name; a
   * preset's story is marked modified. */
  function edited() {
    const q = url.query();
    if (q.has('preset')) {
      // The view the preset implied is named, since the preset no longer implies it.
      q.set('view', url.view());
      q.delete('preset');
      url.replace(q);
    }
    url.writeEdited(() => state.spec);
    picker.markModified();
  }
  /** The view's computation, after fetching the full core if the settings or the view need it
   * (core.js). */
  const recompute = async () => {
    if (needsFull(state.spec, url.view())) {
      status('Fetching the rest of the core (networks and the Hessian view)…');
      try {
        await load('full');
      } catch (e) {
        return fail(e, 'Not computed');
      }
    }
    return view().compute(ctx);
  };
  const schedule = perFrame(recompute);

  const tabs = new Tabs(url.views, setView);
  /** @param {string} id */
  function setView(id) {
    const before = view();
    url.setView(id);
    tabs.show(id);
    controls.render(state.spec, pageView(id));
    if (before.id !== id) before.leave?.(ctx);
    schedule();
  }

  /** Loads a preset's spec and view (keeping an embed's keys), or keeps the settings as custom.
   * @param {Preset | undefined} p */
  function pickPreset(p) {
    const q = url.query();
    if (p) {
      const extra = url.keys.filter((k) => k !== 'preset' && k !== 'view' && q.has(k)).map((k) => `&${k}=${encodeURIComponent(/** @type {string} */ (q.get(k)))}`).join('');
      const v = url.views.includes(p.view) && p.view !== url.views[0] ? `&view=${p.view}` : '';
      url.replace(`${p.query}${v}${extra}`);
      state.spec = p.spec;
    } else {
      q.delete('preset');
      url.replace(q);
    }
    controls.render(state.spec, pageView(url.view()));
    url.writeSpec(state.spec);
    picker.show(url.query().get('preset'));
    tabs.show(url.view());
    schedule();
  }

  const controls = new Controls($('controls'), schema, (mutate, field, structural) => {
    const candidate = structuredClone(state.spec);
    mutate(candidate);
    try {
      wasm.resolveSpec(candidate);
    } catch (e) {
      const err = /** @type {Error & { field?: string }} */ (e);
      controls.showError(err.field || field, err.message);
      // The field at fault may have no control in this view (analysis.step on the Runs view).
      notice('This change was not applied:', [err.message], 'edit');
      return;
    }
    clearNotice('edit');
    ctx.editStart = performance.now();
    state.spec = candidate;
    if (structural) controls.render(state.spec, pageView(url.view()));
    else controls.sync(state.spec);
    edited();
    schedule();
  });
  controls.render(state.spec, pageView(url.view()));
  url.writeSpec(state.spec);
  picker.show(url.query().get('preset'));
  tabs.show(url.view());
  for (const v of VIEWS) v.init?.(ctx);

  $('copy-link').addEventListener('click', async () => {
    const button = $('copy-link');
    url.flush();
    try {
      await navigator.clipboard.writeText(location.href);
      button.textContent = 'Link copied';
    } catch {
      window.prompt('Copy this link:', location.href);
    }
    setTimeout(() => { button.textContent = 'Copy link'; }, 2000);
  });
  if (!embed) addEmbedActions(FIGURES, () => url.flush());
  fillExportMenu(/** @type {HTMLDetailsElement} */ (document.querySelector('details.menu')), menuExports(VIEWS, FIGURES, plots), state, () => url.view());

  await recompute();
  state.timings.boot = performance.now() - t0;
  state.ready = true;
}

main().catch((e) => {
  status(`The page could not start: ${e.message}`);
  $('status').className = 'error';
});
