// @ts-check
// The preset picker and the story of the preset named in the URL, with its claims checked on the
// results on screen.
import { checkClaims } from './pkg/steepest.js';

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
    if (p) {
      /** @type {HTMLElement} */ (this.story.querySelector('.story-title')).textContent = p.title;
      /** @type {HTMLElement} */ (this.story.querySelector('.story-text')).textContent = p.look_for;
    }
    this.claimList().replaceChildren();
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
    const checks = checkClaims(p.name, { run: data.result, report: data.report, sweep: data.sweep, analysis: data.anatomy });
    this.claimList().replaceChildren(...checks.map((c) => {
      const li = document.createElement('li');
      li.className = c.holds === true ? 'holds' : c.holds === false ? 'fails' : 'pending';
      const mark = c.holds === true ? '✓' : c.holds === false ? '✗' : '…';
      li.textContent = `${mark} ${c.text} (${c.evidence})`;
      return li;
    }));
  }
}
