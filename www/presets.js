// @ts-check
// The preset picker and the story of the preset named in the URL, with its claims checked on the
// results on screen. Once its settings are edited the story stays, marked modified, and its claims
// are checked on the new results.
import { wasm } from './core.js';

/** @typedef {import('./types').Preset} Preset */

export class PresetPicker {
  /**
   * @param {Preset[]} presets
   * @param {(preset: Preset | undefined) => void} onPick called with the chosen preset, or
   *   undefined for "custom settings"
   */
  constructor(presets, onPick) {
    this.presets = presets;
    this.select = /** @type {HTMLSelectElement} */ (document.getElementById('preset'));
    this.story = /** @type {HTMLElement} */ (document.getElementById('story'));
    /** The preset whose story is shown. @type {Preset | undefined} */
    this.shown = undefined;
    for (const p of presets) {
      const o = document.createElement('option');
      o.value = p.name;
      o.textContent = p.title;
      this.select.append(o);
    }
    this.select.addEventListener('change', () => onPick(this.find(this.select.value)));
  }

  /** @param {string | null} name */
  find(name) {
    return this.presets.find((p) => p.name === name);
  }

  /** Shows preset `name` (if it is one) as picked, with its story.
   * @param {string | null} name */
  show(name) {
    const p = this.find(name);
    this.shown = p;
    this.select.value = p ? p.name : '';
    this.story.hidden = !p;
    this.modifiedLabel().hidden = true;
    if (p) {
      /** @type {HTMLElement} */ (this.story.querySelector('.story-title')).textContent = p.title;
      /** @type {HTMLElement} */ (this.story.querySelector('.story-text')).textContent = p.look_for;
    }
    this.claimList().replaceChildren();
  }

  /** Marks the shown story as no longer about the preset's own settings; the picker says
   * "custom settings", so choosing the preset again restores it. */
  markModified() {
    if (!this.shown) return;
    this.select.value = '';
    this.modifiedLabel().hidden = false;
  }

  modifiedLabel() {
    return /** @type {HTMLElement} */ (this.story.querySelector('.story-modified'));
  }

  claimList() {
    return /** @type {HTMLUListElement} */ (this.story.querySelector('.story-claims'));
  }

  /** Checks the shown preset's claims on the results on screen (by the core, as the CLI does):
   * each with a tick, a cross, or "not computed yet", and the numbers it was decided on.
   * @param {import('./types').PageData} data */
  check(data) {
    const p = this.shown;
    if (!p || !p.claims.length) return this.claimList().replaceChildren();
    /** @type {{ text: string, holds: boolean | null, evidence: string }[]} */
    const checks = wasm.checkClaims(p.name, { run: data.result, report: data.report, sweep: data.sweep, analysis: data.anatomy });
    this.claimList().replaceChildren(...checks.map((c) => {
      const li = document.createElement('li');
      li.className = c.holds === true ? 'holds' : c.holds === false ? 'fails' : 'pending';
      const mark = c.holds === true ? '✓' : c.holds === false ? '✗' : '…';
      li.textContent = `${mark} ${c.text} (${c.evidence})`;
      return li;
    }));
  }
}
