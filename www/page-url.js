// @ts-check
// The page's state in its URL: the spec's keys (written by the core's codec: only what differs
// from the defaults) beside the keys the page owns (`preset`, `view`, `embed`, `plot`: the
// schema's `page.keys`). A preset's link stays `?preset=NAME` while the spec is the preset's, and
// a preset's own view is left out. Every change replaces the history entry, so editing adds no
// history. `writeSpec` is the one writer of the spec into the URL.
import { wasm } from './core.js';
import { notice, clearNotice } from './notices.js';

/** @typedef {import('./types').Spec} Spec */
/** @typedef {import('./types').Preset} Preset */

/** Edits write the URL at most this often (ms). A dragged slider edits about 60 times a second;
 * each history update costs milliseconds (more as they pile up), and browsers throttle (Chrome)
 * or refuse (Firefox) more than about 200 in 10 s. */
const EDIT_WRITE_EVERY = 100;

export class PageUrl {
  /** @param {import('./types').Schema} schema the page's keys and views, and the largest matrix a
   *   link carries
   * @param {Preset[]} presets */
  constructor(schema, presets) {
    this.keys = schema.page.keys;
    this.views = schema.page.views.map((v) => v.id);
    this.matrixMax = schema.limits.url_matrix_max;
    this.presets = presets;
    /** When an edit last wrote the URL, and the write waiting for EDIT_WRITE_EVERY to pass. */
    this.editWritten = -Infinity;
    /** @type {(() => void) | null} */
    this.pending = null;
    this.timer = 0;
  }

  /** After an edit: writes `spec()` into the URL now, or, within EDIT_WRITE_EVERY ms of the last
   * edit's write, once that time is up, with the spec current then.
   * @param {() => Spec} spec */
  writeEdited(spec) {
    this.pending = () => {
      this.pending = null;
      this.writeSpec(spec());
      // Stamped once the write has landed, so the next one lands EDIT_WRITE_EVERY after it,
      // however long this one took to encode.
      this.editWritten = performance.now();
    };
    this.writeWhenDue();
  }

  /** Writes the waiting edit once EDIT_WRITE_EVERY has passed since the last write; a timer that
   * fires a little early (its clock is not performance.now's) waits again. */
  writeWhenDue() {
    const wait = this.editWritten + EDIT_WRITE_EVERY - performance.now();
    if (wait <= 0) this.flush();
    else this.timer ||= window.setTimeout(() => {
      this.timer = 0;
      this.writeWhenDue();
    }, wait);
  }

  /** Writes an edit still waiting (before the link is read). */
  flush() {
    this.pending?.();
  }

  /** The current query. */
  query() {
    return new URLSearchParams(location.search);
  }

  /** @param {URLSearchParams | string} query */
  replace(query) {
    history.replaceState(null, '', `${location.pathname}?${query}`);
  }

  /** The preset named in the URL, if it is one. */
  preset() {
    const name = this.query().get('preset');
    return this.presets.find((p) => p.name === name);
  }

  /** The view when the URL names none: the preset's, else the schema's first. */
  defaultView() {
    const v = this.preset()?.view;
    return v && this.views.includes(v) ? v : this.views[0];
  }

  /** The view in the URL, or the default. */
  view() {
    const v = this.query().get('view');
    return v && this.views.includes(v) ? v : this.defaultView();
  }

  /** @param {string} id a view; the default one leaves the URL */
  setView(id) {
    const q = this.query();
    if (id !== this.defaultView()) q.set('view', id);
    else q.delete('view');
    this.replace(q);
  }

  /** The keys of the URL that belong to the spec. */
  specKeys() {
    return [...this.query().keys()].filter((k) => !this.keys.includes(k));
  }

  /** What the page ignores among its own keys: an unknown view, preset or figure (`plot`), each
   * named with the allowed values.
   * @param {string[]} figures the figures' names */
  ignored(figures) {
    const q = this.query();
    /** @type {[string, string[], string][]} */
    const checks = [['view', this.views, 'view'], ['preset', this.presets.map((p) => p.name), 'preset'], ['plot', figures, 'figure']];
    return checks.filter(([k, allowed]) => q.has(k) && !allowed.includes(/** @type {string} */ (q.get(k))))
      .map(([k, allowed, what]) => `${k}=${q.get(k)}: there is no such ${what}, so it is ignored; allowed: ${allowed.join(', ')}`);
  }

  /** Writes `spec` into the URL, keeping the page's keys (a known view or preset only), and points
   * the "open in the playground" link of an embed at the same spec without them. While the spec
   * is the named preset's, the link is the preset's name alone. A matrix too large for a link is
   * left out of it (by the core's codec), and a notice says so.
   * @param {Spec} spec */
  writeSpec(spec) {
    const q = this.query();
    const preset = this.preset();
    const view = this.view();
    const keep = new URLSearchParams();
    for (const k of this.keys) if (q.has(k)) keep.set(k, /** @type {string} */ (q.get(k)));
    if (!preset) keep.delete('preset');
    const specQuery = wasm.specToQuery(spec);
    const stands = preset !== undefined && specQuery === wasm.specToQuery(preset.spec);
    // The view is written unless the URL implies it: the preset's own view while the preset
    // stands, else the first view (and then only if it does not depend on a preset key).
    const implied = stands ? view === this.defaultView() : view === this.views[0] && this.defaultView() === this.views[0];
    if (implied) keep.delete('view');
    else keep.set('view', view);
    const extra = keep.toString();
    this.replace(stands ? extra : specQuery + (extra ? `&${extra}` : ''));
    /** @type {HTMLAnchorElement} */ (document.getElementById('open-full')).href = `${location.pathname}?${new URLSearchParams(specQuery)}`;
    const n = spec.problem.matrix?.length ?? 0;
    if (n > this.matrixMax) {
      notice(`Your ${n} x ${n} matrix is not in the link`, [
        `Links carry matrices up to ${this.matrixMax} x ${this.matrixMax}; a copied link opens without this one.`,
        'Export → "Spec for the CLI (JSON)" saves it with every setting (steepest run --spec FILE reads it).',
      ], 'matrix-link');
    } else clearNotice('matrix-link');
  }
}
