// @ts-check
// The view tabs (#tab-{id}) and their panels (#{id}-view): one shown at a time, chosen by click
// or by the arrow keys.

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

export class Tabs {
  /**
   * @param {string[]} ids the views, in tab order
   * @param {(id: string) => void} onSelect called when the reader picks a view
   */
  constructor(ids, onSelect) {
    this.ids = ids;
    ids.forEach((id, k) => {
      const tab = $(`tab-${id}`);
      tab.addEventListener('click', () => onSelect(id));
      tab.addEventListener('keydown', (e) => {
        const step = /** @type {Record<string, number>} */ ({ ArrowRight: 1, ArrowLeft: -1 })[e.key];
        if (!step) return;
        const next = ids[(k + step + ids.length) % ids.length];
        $(`tab-${next}`).focus();
        onSelect(next);
      });
    });
  }

  /** Selects the tab of view `current` and shows its panel only.
   * @param {string} current */
  show(current) {
    for (const id of this.ids) {
      const tab = $(`tab-${id}`);
      tab.setAttribute('aria-selected', String(id === current));
      tab.tabIndex = id === current ? 0 : -1;
      $(`${id}-view`).hidden = id !== current;
    }
  }
}
