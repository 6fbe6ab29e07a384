// @ts-check
// The settings form, generated from the spec schema (one source of truth for labels, names,
// groups, ranges, steps, defaults and help). It never computes maths: it edits a spec object and
// asks the caller to apply it; the caller validates it with the wasm core and reports errors back
// by field. A matrix typed, pasted or dropped as a file is read by the core (`matrixRows`).
import { wasm } from './core.js';

/** @typedef {import('./types').Param} Param */
/** @typedef {import('./types').Schema} Schema */
/** @typedef {import('./types').Spec} Spec */
/** @typedef {import('./types').PageView} PageView */
/** @typedef {{ kind: 'log' | 'log1p' | 'linear', lo: number, hi: number }} SliderScale */
/** @typedef {{ root: HTMLElement, set: (value: any, spec?: Spec) => void, error: HTMLElement, input: HTMLElement }} Field */
/** @typedef {(mutate: (spec: Spec) => void, field: string, structural?: boolean) => void} OnEdit */

// Slider positions. Sliders move on a log scale for parameters the schema marks log-scaled and
// for integer ranges of two decades or more; log(1 + v) when such a range starts at 0.
const SLIDER_STEPS = 1000;

/** An element with attributes (`text` sets its text, `class` its class; null, undefined and
 * false are left out) and children.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attrs]
 * @param {(Node | string)[]} children
 * @returns {HTMLElementTagNameMap[K]} */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else if (k === 'class') e.className = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...children);
  return e;
}

/** Leaf name shown to readers, e.g. "lambda_max".
 * @param {string} name */
function leaf(name) {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** The value at a param path in a spec (method params need the method index).
 * @param {Spec} spec
 * @param {string} name
 * @param {number} [i] */
function read(spec, name, i) {
  const [group, field] = name.split('.');
  if (group === 'methods[]') return spec.methods[/** @type {number} */ (i)][field];
  if (!field) return spec[group];
  return spec[group][field];
}

/** @param {Spec} spec
 * @param {string} name
 * @param {number | undefined} i
 * @param {unknown} value undefined removes the field (it takes its default) */
function write(spec, name, i, value) {
  const [group, field] = name.split('.');
  if (group === 'methods[]') {
    const m = spec.methods[/** @type {number} */ (i)];
    if (value === undefined) delete m[field];
    else m[field] = value;
  } else if (value === undefined) delete spec[group][field];
  else spec[group][field] = value;
}

/** The slider's mapping for a numeric parameter, or null when a slider would not help (a range
 * too wide, or a linear range whose useful values sit at its very bottom, like a target of 1e-6).
 * @param {Param} p
 * @returns {SliderScale | null} */
function sliderScale(p) {
  if (p.max > 1e6) return null;
  if (p.log_scale) {
    const lo = p.min > 0 ? p.min : p.max * 1e-12;
    return { kind: 'log', lo, hi: p.max };
  }
  if (p.type === 'integer' && p.max - p.min >= 100) return { kind: p.min > 0 ? 'log' : 'log1p', lo: p.min, hi: p.max };
  if (p.type === 'float' && p.default > p.min && p.default - p.min < (p.max - p.min) / 1000) return null;
  return { kind: 'linear', lo: p.min, hi: p.max };
}

/** @param {SliderScale} sc
 * @param {number} v */
function toSlider(sc, v) {
  const f = sc.kind === 'log' ? Math.log(v / sc.lo) / Math.log(sc.hi / sc.lo)
    : sc.kind === 'log1p' ? Math.log1p(v - sc.lo) / Math.log1p(sc.hi - sc.lo)
      : (v - sc.lo) / (sc.hi - sc.lo);
  return Math.round(Math.min(1, Math.max(0, f)) * SLIDER_STEPS);
}

/** @param {Param} p
 * @param {SliderScale} sc
 * @param {number} s */
function fromSlider(p, sc, s) {
  const f = s / SLIDER_STEPS;
  let v = sc.kind === 'log' ? sc.lo * Math.pow(sc.hi / sc.lo, f)
    : sc.kind === 'log1p' ? sc.lo + Math.expm1(f * Math.log1p(sc.hi - sc.lo))
      : sc.lo + (sc.hi - sc.lo) * f;
  if (p.type === 'integer') return Math.round(v);
  v = Number(v.toPrecision(3));
  // Exclusive bounds are never reached by a slider.
  if (p.min_exclusive && v <= p.min) v = sc.lo;
  if (p.max_exclusive && v >= p.max) v = Number((p.max - (p.max - p.min) / SLIDER_STEPS).toPrecision(6));
  return v;
}

/** The value one ArrowUp (or ArrowDown) away from `v`: the parameter's `step` added, or its value
 * multiplied by `step_factor` (from 0, up goes to the default); clamped to an inclusive bound,
 * undefined at an exclusive one or without a step.
 * @param {Param} p
 * @param {number} v
 * @param {boolean} up
 * @returns {number | undefined} */
function stepped(p, v, up) {
  if (!Number.isFinite(v)) return undefined;
  let next;
  if (p.step !== undefined) next = Number((v + (up ? p.step : -p.step)).toPrecision(12));
  else if (p.step_factor === undefined) return undefined;
  else if (v === 0) next = up && p.default > 0 ? p.default : v;
  else next = Number((up ? v * p.step_factor : v / p.step_factor).toPrecision(3));
  if (p.type === 'integer') next = Math.round(next);
  if (next < p.min || (p.min_exclusive && next <= p.min)) return p.min_exclusive ? undefined : p.min;
  if (next > p.max || (p.max_exclusive && next >= p.max)) return p.max_exclusive ? undefined : p.max;
  return next;
}

/** The rows of a matrix in text or a file's bytes, read by the core as the CLI reads a file; an
 * Error naming the row and column (or the .npy shape and dtype) otherwise.
 * @param {string | Uint8Array} input
 * @returns {number[][]} */
function readMatrix(input) {
  return wasm.matrixRows(typeof input === 'string' ? new TextEncoder().encode(input) : input);
}

/** @param {string} text */
function parseList(text) {
  const t = text.trim();
  if (!t) return undefined;
  return t.split(/[\s,]+/).filter(Boolean).map(Number);
}

export class Controls {
  /**
   * @param {HTMLElement} form the <form> to fill
   * @param {Schema} schema from the wasm core
   * @param {OnEdit} onEdit called on every edit (`structural` when the controls must be rebuilt)
   */
  constructor(form, schema, onEdit) {
    this.form = form;
    this.schema = schema;
    this.params = schema.params;
    this.onEdit = onEdit;
    /** Field path ("problem.d", "methods[1].lr") -> its control. @type {Map<string, Field>} */
    this.fields = new Map();
    form.addEventListener('submit', (e) => e.preventDefault());
  }

  /** @param {string} name */
  param(name) {
    return /** @type {Param} */ (this.params.find((p) => p.name === name));
  }

  /** Rebuilds the controls of `groups` for `spec` (on load, when methods are added or removed,
   * and when the view changes), in the schema's group order.
   * @param {Spec} spec
   * @param {PageView} view the view whose groups are shown and whose overrides are disabled */
  render(spec, view) {
    const focusId = document.activeElement && this.form.contains(document.activeElement) ? document.activeElement.id : null;
    this.form.replaceChildren();
    this.fields.clear();
    for (const { name: group, title } of this.schema.groups.filter((g) => view.groups.includes(g.name))) {
      const fs = el('fieldset', { class: `group group-${group}` }, el('legend', { text: title }));
      if (group === 'methods') this.renderMethods(fs, spec);
      else for (const p of this.params.filter((q) => q.group === group)) fs.append(this.control(p, spec, undefined));
      this.form.append(fs);
    }
    // Settings the view's computation sets itself would change nothing here: disabled, and why.
    for (const f of this.fields.values()) {
      if (!view.overrides.includes(/** @type {string} */ (f.root.dataset.param))) continue;
      f.root.classList.add('overridden');
      for (const e of f.root.querySelectorAll('input, select, textarea')) /** @type {HTMLInputElement} */ (e).disabled = true;
      /** @type {HTMLElement} */ (f.root.querySelector('.help')).textContent = view.overrides_note;
    }
    this.updateVisibility(spec);
    if (focusId) document.getElementById(focusId)?.focus();
  }

  /** @param {HTMLFieldSetElement} fs
   * @param {Spec} spec */
  renderMethods(fs, spec) {
    const methodParams = this.params.filter((p) => p.group === 'methods');
    spec.methods.forEach((/** @type {unknown} */ _m, /** @type {number} */ i) => {
      const box = el('fieldset', { class: 'method' }, el('legend', { text: `Method ${i + 1}` }));
      const basic = el('div', { class: 'method-basic' });
      const more = el('details', { class: 'method-more' }, el('summary', { text: 'More settings' }));
      for (const p of methodParams) {
        const ctl = this.control(p, spec, i);
        (['methods[].kind', 'methods[].rule', 'methods[].lr', 'methods[].tune'].includes(p.name) ? basic : more).append(ctl);
      }
      const remove = el('button', { type: 'button', class: 'remove', text: 'Remove', 'aria-label': `Remove method ${i + 1}` });
      remove.disabled = spec.methods.length <= 1;
      remove.addEventListener('click', () => this.onEdit((s) => s.methods.splice(i, 1), 'methods', true));
      box.append(basic, more, remove);
      fs.append(box);
    });
    const add = el('button', { type: 'button', class: 'add', text: 'Add method' });
    add.disabled = spec.methods.length >= this.schema.limits.max_methods;
    add.addEventListener('click', () => this.onEdit((s) => s.methods.push({ kind: 'adam', rule: 'const', tune: true }), 'methods', true));
    fs.append(add);
  }

  /** One labelled control: its label as people write it, the spec name and help on demand (the
   * label's title and a "?" that opens them), one short line with the allowed range, and an error
   * slot.
   * @param {Param} p
   * @param {Spec} spec
   * @param {number | undefined} i the method's index, for a method parameter
   * @returns {HTMLElement} */
  control(p, spec, i) {
    const path = i === undefined ? p.name : p.name.replace('methods[]', `methods[${i}]`);
    const id = `ctl-${path.replace(/[^a-z0-9_]+/gi, '-')}`;
    const helpId = `${id}-help`;
    const errId = `${id}-err`;
    const moreId = `${id}-more`;
    const root = el('div', { class: 'field', 'data-param': p.name, 'data-index': i ?? '' });
    const about = `${p.name}: ${p.help}`;
    const label = el('div', { class: 'label-row' },
      el('label', { for: id, text: p.label, title: about }),
      el('details', { class: 'more' }, el('summary', { text: '?', 'aria-label': `About ${p.label}`, title: about }),
        el('p', { id: moreId, text: `${p.help} ` }, el('code', { text: p.name }))));
    const help = el('small', { id: helpId, class: 'help', text: p.range });
    const error = el('span', { id: errId, class: 'error', role: 'alert' });
    const value = read(spec, p.name, i);
    const commit = (/** @type {unknown} */ v) => this.onEdit((s) => write(s, p.name, i, v), path);
    /** @type {HTMLSelectElement | HTMLInputElement | HTMLTextAreaElement} */
    let input;
    /** @type {Field['set']} */
    let set;
    if (p.type === 'choice') {
      const select = el('select', { id, 'aria-describedby': `${helpId} ${moreId} ${errId}` }, ...p.choices.map((c) => el('option', { value: c, text: c })));
      select.value = value;
      select.addEventListener('change', () => {
        // A new rule changes lr's meaning: its default follows the rule.
        if (p.name === 'methods[].rule') this.onEdit((s) => { write(s, p.name, i, select.value); delete s.methods[/** @type {number} */ (i)].lr; }, path);
        // A new method brings its own hyperparameter defaults: redraw their placeholders.
        else if (p.name === 'methods[].kind') this.onEdit((s) => write(s, p.name, i, select.value), path, true);
        // Your own matrix starts from the schema's example, so that the choice is usable at once.
        else if (p.name === 'problem.kind' && select.value === 'matrix') {
          const example = /** @type {Param} */ (this.param('problem.matrix')).example;
          this.onEdit((s) => { s.problem.kind = 'matrix'; s.problem.matrix ??= structuredClone(example); }, path);
        }
        else commit(select.value);
      });
      set = (v) => { select.value = v; };
      input = select;
    } else if (p.type === 'boolean') {
      const box = el('input', { id, type: 'checkbox', 'aria-describedby': `${helpId} ${moreId} ${errId}` });
      box.checked = Boolean(value);
      box.addEventListener('change', () => commit(box.checked));
      set = (v) => { box.checked = Boolean(v); };
      input = box;
    } else if (p.type === 'integer' || p.type === 'float') {
      // A method hyperparameter left empty takes its method's own default (schema.methods).
      const own = i === undefined ? undefined : this.schema.methods.find((m) => m.id === spec.methods[i].kind)?.defaults[leaf(p.name)];
      // A field whose default follows other fields (sweep.spread_max) is left empty; the value
      // the core resolves it to is its placeholder and its slider's position.
      const auto = p.auto !== undefined;
      const autoValue = (/** @type {Spec} */ s) => {
        try { return read(wasm.resolveSpec(s), p.name, i); } catch { return undefined; }
      };
      const autoText = (/** @type {number | undefined} */ v) => (v === undefined ? 'auto' : `auto: ${Number(v.toPrecision(4))}`);
      const optional = p.name === 'methods[].lr' || own !== undefined || auto;
      let fallback = own ?? p.default ?? (auto ? autoValue(spec) : undefined);
      const number = el('input', {
        id, type: 'number', inputmode: 'decimal', step: 'any', min: p.min, max: p.max,
        'aria-describedby': `${helpId} ${moreId} ${errId}`,
        placeholder: p.name === 'methods[].lr' ? 'default for the rule' : own !== undefined ? `default ${own}` : auto ? autoText(fallback) : undefined,
      });
      number.value = value ?? '';
      const wrap = el('div', { class: 'inputs' });
      /** @type {HTMLInputElement | null} */
      let slider = null;
      const sc = sliderScale(p);
      if (sc) {
        const range = el('input', { type: 'range', min: 0, max: SLIDER_STEPS, step: 1, 'aria-label': `${p.label} slider`, tabindex: -1 });
        range.value = String(toSlider(sc, value ?? fallback));
        range.addEventListener('input', () => {
          const v = fromSlider(p, sc, Number(range.value));
          number.value = String(v);
          commit(v);
        });
        wrap.append(range);
        slider = range;
      }
      wrap.append(number);
      const moveSlider = (/** @type {number} */ v) => { if (slider && sc) slider.value = String(toSlider(sc, v)); };
      // A value as it is typed moves the slider; the edit is made when the box is left.
      number.addEventListener('input', () => {
        const v = Number(number.value);
        if (number.value.trim() !== '' && Number.isFinite(v)) moveSlider(v);
      });
      number.addEventListener('keydown', (e) => {
        const up = e.key === 'ArrowUp';
        if ((!up && e.key !== 'ArrowDown') || e.altKey || e.ctrlKey || e.metaKey) return;
        e.preventDefault();
        const v = number.value.trim() === '' ? fallback : Number(number.value);
        const next = stepped(p, v, up);
        if (next === undefined) return;
        number.value = String(next);
        moveSlider(next);
        commit(next);
      });
      number.addEventListener('change', () => {
        const raw = number.value.trim();
        if (raw === '' && optional) return commit(undefined);
        const v = Number(raw);
        if (raw === '' || !Number.isFinite(v)) return this.showError(path, `${p.label}: "${raw}" is not a number; allowed: ${p.range}`);
        if (p.type === 'integer' && !Number.isInteger(v)) return this.showError(path, `${p.label}: ${raw} is not a whole number; allowed: ${p.range}`);
        commit(v);
      });
      set = (v, s) => {
        if (auto && s) {
          fallback = autoValue(s);
          number.placeholder = autoText(fallback);
        }
        number.value = v ?? '';
        moveSlider(v ?? fallback);
      };
      root.append(label, wrap, help, error);
      this.fields.set(path, { root, set, error, input: number });
      return root;
    } else if (p.type === 'matrix') {
      const text = el('textarea', { id, rows: 4, spellcheck: 'false', 'aria-describedby': `${helpId} ${moreId} ${errId}`, placeholder: '2 1\n1 2' });
      const rows = (/** @type {number[][] | null | undefined} */ m) => (m ? m.map((r) => r.join(' ')).join('\n') : '');
      text.value = rows(value);
      /** Reads text or a file's bytes through the core, and edits the spec or names the problem. */
      const load = (/** @type {string | Uint8Array} */ input) => {
        if (typeof input === 'string' && !input.trim()) return commit(undefined);
        let m;
        try { m = readMatrix(input); } catch (e) { return this.showError(path, /** @type {Error} */ (e).message); }
        commit(m);
      };
      text.addEventListener('change', () => load(text.value));
      const loadFile = async (/** @type {File | undefined} */ file) => { if (file) load(new Uint8Array(await file.arrayBuffer())); };
      text.addEventListener('dragover', (e) => e.preventDefault());
      text.addEventListener('drop', (e) => { e.preventDefault(); loadFile(e.dataTransfer?.files[0]); });
      const file = el('input', { id: `${id}-file`, type: 'file', accept: '.npy,.csv,.tsv,.txt,.json', class: 'file' });
      file.addEventListener('change', () => { loadFile(file.files?.[0]); file.value = ''; });
      set = (v) => { text.value = rows(v); };
      root.append(label, text, el('label', { for: file.id, class: 'file-label', text: 'or load a file (.npy, .csv, .txt, .json), or drop one on the box:' }), file, help, error);
      this.fields.set(path, { root, set, error, input: text });
      return root;
    } else {
      // Vector (x0) and text (label).
      const vector = p.type === 'vector';
      const line = el('input', { id, type: 'text', 'aria-describedby': `${helpId} ${moreId} ${errId}`, placeholder: vector ? 'e.g. 1, -0.5' : 'automatic' });
      line.value = value == null ? '' : vector ? value.join(', ') : value;
      line.addEventListener('change', () => commit(vector ? parseList(line.value) : line.value.trim() || undefined));
      set = (v) => { line.value = v == null ? '' : vector ? v.join(', ') : v; };
      input = line;
    }
    root.append(label, input, help, error);
    this.fields.set(path, { root, set, error, input });
    return root;
  }

  /** Shows the controls whose `when` conditions hold for `spec`.
   * @param {Spec} spec */
  updateVisibility(spec) {
    for (const f of this.fields.values()) {
      const p = this.param(/** @type {string} */ (f.root.dataset.param));
      const i = f.root.dataset.index === '' ? undefined : Number(f.root.dataset.index);
      const shown = (p.when || []).every(([name, values]) => values.includes(read(spec, name, i)));
      f.root.hidden = !shown;
    }
  }

  /** Writes `spec`'s values into the controls (after an edit was applied elsewhere).
   * @param {Spec} spec */
  sync(spec) {
    for (const f of this.fields.values()) {
      const i = f.root.dataset.index === '' ? undefined : Number(f.root.dataset.index);
      if (document.activeElement !== f.input) f.set(read(spec, /** @type {string} */ (f.root.dataset.param), i), spec);
      f.error.textContent = '';
      f.root.classList.remove('invalid');
    }
    this.updateVisibility(spec);
  }

  /** Marks the control of `field` (e.g. "methods[1].lr", "problem.x0[2]") with a message;
   * false when no control shows that field.
   * @param {string} field
   * @param {string} message */
  showError(field, message) {
    const path = field.replace(/\[(\d+)\]$/, '').replace(/^(problem\.(x0|matrix)).*$/, '$1');
    const f = this.fields.get(path) || this.fields.get(field);
    if (!f) return false;
    f.error.textContent = message;
    f.root.classList.add('invalid');
    f.root.hidden = false;
    return true;
  }
}
