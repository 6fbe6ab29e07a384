// @ts-check
// The export menu, built from the registries: the current view's figures (a PNG each, a CSV of
// what a figure alone shows) and data exports, and the spec for the CLI. An entry shows only
// when what it exports is on screen; the menu closes after a choice and on Escape.
import { wasm } from './core.js';

/** @typedef {import('./types').ExportDef} ExportDef */
/** @typedef {import('./types').PageState} PageState */

/** Saves `blob` as a file called `name`.
 * @param {string} name
 * @param {Blob} blob */
function download(name, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** CSV text: a header line and one line per row (text fields quoted).
 * @param {import('./types').FigureTable} table */
const csv = ({ head, rows }) => [head.join(','), ...rows.map((r) => r.map((v) => (typeof v === 'string' ? `"${v.replaceAll('"', '""')}"` : String(v ?? NaN))).join(','))].join('\n') + '\n';

/** The resolved spec (defaults and `auto` made explicit), as `steepest run --spec` reads it.
 * @type {ExportDef} */
const SPEC_EXPORT = {
  id: 'spec', label: 'Spec for the CLI (JSON)', file: 'steepest-spec.json',
  make: (s) => new Blob([JSON.stringify(wasm.resolveSpec(s.spec), null, 2)], { type: 'application/json' }),
};

/** The settings under a figure's PNG, in one line: the problem, the methods, the run.
 * @param {PageState} state */
export function settingsLine({ spec, result }) {
  const p = spec.problem;
  const problem = p.kind === 'quadratic' ? `quadratic (${p.spectrum}, λ_max ${p.lambda_max}, rotation ${p.rotation})` : p.kind === 'network' ? `network on ${p.dataset}` : p.kind;
  const methods = result ? result.methods.map((/** @type {any} */ m) => m.label) : spec.methods.map((/** @type {any} */ m) => m.kind);
  return `Steepest: ${problem}, d = ${wasm.specDimension(spec)}, seed ${p.seed}; ${methods.join(', ')}; ${spec.run.steps} steps`;
}

/** The menu's entries: per view in tab order, its figures' PNGs and CSVs and its data exports;
 * then the spec.
 * @param {import('./types').ViewDef[]} views
 * @param {import('./types').FigureDef[]} figures
 * @param {import('./plots.js').Plots} plots
 * @returns {ExportDef[]} */
export function menuExports(views, figures, plots) {
  return [
    ...views.flatMap((v) => [
      ...figures.filter((f) => f.view === v.id).flatMap((f) => {
        const shown = () => plots.shown(f.name);
        /** @type {ExportDef[]} */
        const entries = [{ id: `png-${f.name}`, view: v.id, label: `${f.label} (PNG)`, file: `steepest-${f.name}.png`, available: shown, make: (s) => plots.png(f.name, settingsLine(s)) }];
        const table = f.table;
        if (table) entries.push({ id: `csv-${f.name}`, view: v.id, label: `${f.label} (CSV)`, file: `steepest-${f.name}.csv`, available: shown, make: (s) => new Blob([csv(table(s))], { type: 'text/csv' }) });
        return entries;
      }),
      ...v.exports.map((x) => ({ ...x, view: v.id })),
    ]),
    SPEC_EXPORT,
  ];
}

/** Fills the `menu` (a <details>) with one button per export; opening it shows the entries of
 * view `current()` whose data exist.
 * @param {HTMLDetailsElement} menu
 * @param {ExportDef[]} exports
 * @param {PageState} state
 * @param {() => string} current the id of the view on screen */
export function fillExportMenu(menu, exports, state, current) {
  const items = /** @type {HTMLElement} */ (menu.querySelector('.menu-items'));
  const summary = /** @type {HTMLElement} */ (menu.querySelector('summary'));
  const close = () => {
    menu.open = false;
    summary.focus();
  };
  /** @type {[ExportDef, HTMLButtonElement][]} */
  const buttons = exports.map((x) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.export = x.id;
    b.textContent = x.label;
    b.addEventListener('click', async () => {
      close();
      download(x.file, await x.make(state));
    });
    items.append(b);
    return [x, b];
  });
  // The entries are chosen on the summary's click, before the menu opens (mouse, Enter and Space
  // all click it), so they are right the moment it shows: 'toggle' fires a task later, and until
  // then the menu showed the entries of the view it was last opened on.
  summary.addEventListener('click', () => {
    if (menu.open) return;
    for (const [x, b] of buttons) {
      b.hidden = (x.view !== undefined && x.view !== current()) || Boolean(x.needs && !state[x.needs]) || (x.available !== undefined && !x.available(state));
    }
  });
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && menu.open) close();
  });
}
