// @ts-check
// The export menu, built from the registries: each view's data exports with its figures' PNGs,
// in tab order, and the spec for the CLI.
import { resolveSpec } from './pkg/steepest.js';

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

/** The resolved spec (defaults and `auto` made explicit), as `steepest run --spec` reads it.
 * @type {ExportDef} */
const SPEC_EXPORT = {
  id: 'spec', label: 'Spec for the CLI (JSON)', file: 'steepest-spec.json',
  make: (s) => new Blob([JSON.stringify(resolveSpec(s.spec), null, 2)], { type: 'application/json' }),
};

/** The menu's entries: per view in tab order, its figures' PNGs and its data exports; then the
 * spec.
 * @param {import('./types').ViewDef[]} views
 * @param {import('./types').FigureDef[]} figures
 * @param {(name: string) => Promise<Blob>} png the PNG of a drawn figure
 * @returns {ExportDef[]} */
export function menuExports(views, figures, png) {
  return [
    ...views.flatMap((v) => [
      ...figures.filter((f) => f.view === v.id && f.png).map((f) => ({
        id: `png-${f.name}`, label: /** @type {string} */ (f.png), file: `steepest-${f.name}.png`, needs: f.needs, make: () => png(f.name),
      })),
      ...v.exports,
    ]),
    SPEC_EXPORT,
  ];
}

/** Fills `menu` with one button per export; a button does nothing until the data its export
 * needs exists.
 * @param {HTMLElement} menu
 * @param {ExportDef[]} exports
 * @param {PageState} state */
export function fillExportMenu(menu, exports, state) {
  for (const x of exports) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.export = x.id;
    b.textContent = x.label;
    b.addEventListener('click', async () => {
      if (x.needs && !state[x.needs]) return;
      download(x.file, await x.make(state));
    });
    menu.append(b);
  }
}
