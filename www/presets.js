// @ts-check
// The preset picker and the story of the preset named in the URL.

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
    this.select.value = p ? p.name : '';
    this.story.hidden = !p;
    if (p) {
      /** @type {HTMLElement} */ (this.story.querySelector('.story-title')).textContent = p.title;
      /** @type {HTMLElement} */ (this.story.querySelector('.story-text')).textContent = p.look_for;
    }
  }
}
