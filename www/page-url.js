// @ts-check
// The page's state in its URL: the spec's keys (written by the core's codec) beside the keys the
// page owns (`preset`, `view`, `embed`, `plot`: the schema's `page.keys`). Every change replaces
// the history entry, so editing adds no history.
import { specToQuery } from './pkg/steepest.js';

/** @typedef {import('./types').Spec} Spec */

export class PageUrl {
  /** @param {import('./types').Schema['page']} page the schema's page keys and views */
  constructor(page) {
    this.keys = page.keys;
    this.views = page.views.map((v) => v.id);
  }

  /** The current query. */
  query() {
    return new URLSearchParams(location.search);
  }

  /** @param {URLSearchParams | string} query */
  replace(query) {
    history.replaceState(null, '', `${location.pathname}?${query}`);
  }

  /** The view in the URL, or the default (the schema's first view). */
  view() {
    const v = this.query().get('view');
    return v && this.views.includes(v) ? v : this.views[0];
  }

  /** @param {string} id a view; the default one leaves the URL */
  setView(id) {
    const q = this.query();
    if (id !== this.views[0]) q.set('view', id);
    else q.delete('view');
    this.replace(q);
  }

  /** The keys of the URL that belong to the spec. */
  specKeys() {
    return [...this.query().keys()].filter((k) => !this.keys.includes(k));
  }

  /** Writes `spec` into the URL, keeping the page's keys, and points the "open in the
   * playground" link of an embed at the same spec without them.
   * @param {Spec} spec */
  writeSpec(spec) {
    const q = this.query();
    const keep = new URLSearchParams();
    for (const k of this.keys) if (q.has(k)) keep.set(k, /** @type {string} */ (q.get(k)));
    const specQuery = specToQuery(spec);
    const extra = keep.toString();
    this.replace(specQuery + (extra ? `&${extra}` : ''));
    /** @type {HTMLAnchorElement} */ (document.getElementById('open-full')).href = `${location.pathname}?${new URLSearchParams(specQuery)}`;
  }
}
