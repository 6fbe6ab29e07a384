// @ts-check
// The settings form, generated from the spec schema (one source of truth for names, groups,
// ranges, defaults and help). It never computes maths: it edits a spec object and asks the caller
// to apply it; the caller validates it with the wasm core and reports errors back by field.

/** @typedef {import('./types').Param} Param */
/** @typedef {import('./types').Schema} Schema */
/** @typedef {import('./types').Spec} Spec */
/** @typedef {{ kind: 'log' | 'log1p' | 'linear', lo: number, hi: number }} SliderScale */
/** @typedef {{ root: HTMLElement, set: (value: any) => void, error: HTMLElement, input: HTMLElement }} Field */
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

/** @param {Param} p */
function describeRange(p) {
  if (p.type === 'integer') return `an integer from ${p.min} to ${p.max}`;
  if (p.type === 'float') return `a number in ${p.min_exclusive ? '(' : '['}${p.min}, ${p.max}${p.max_exclusive ? ')' : ']'}`;
  return '';
}

/** Parses a matrix typed as JSON or as rows (lines or ';') of numbers (commas or spaces).
 * @param {string} text
 * @returns {number[][] | undefined} */
export function parseMatrixText(text) {
  const t = text.trim();
  if (!t) return undefined;
  if (t.startsWith('[') || t.startsWith('{')) {
    const v = JSON.parse(t);
    return Array.isArray(v) ? v : v.matrix;
  }
  return t.split(/\n|;/).map((r) => r.trim()).filter(Boolean).map((r) => r.split(/[\s,]+/).filter(Boolean).map(Number));
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
   * @param {string[]} groups */
  render(spec, groups) {
    const focusId = document.activeElement && this.form.contains(document.activeElement) ? document.activeElement.id : null;
    this.form.replaceChildren();
    this.fields.clear();
    for (const { name: group, title } of this.schema.groups.filter((g) => groups.includes(g.name))) {
      const fs = el('fieldset', { class: `group group-${group}` }, el('legend', { text: title }));
      if (group === 'methods') this.renderMethods(fs, spec);
      else for (const p of this.params.filter((q) => q.group === group)) fs.append(this.control(p, spec, undefined));
      this.form.append(fs);
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

  /** One labelled control with its help text and an error slot.
   * @param {Param} p
   * @param {Spec} spec
   * @param {number | undefined} i the method's index, for a method parameter
   * @returns {HTMLElement} */
  control(p, spec, i) {
    const path = i === undefined ? p.name : p.name.replace('methods[]', `methods[${i}]`);
    const id = `ctl-${path.replace(/[^a-z0-9_]+/gi, '-')}`;
    const helpId = `${id}-help`;
    const errId = `${id}-err`;
    const root = el('div', { class: 'field', 'data-param': p.name, 'data-index': i ?? '' });
    const label = el('label', { for: id, text: leaf(p.name) });
    const help = el('small', { id: helpId, class: 'help', text: p.help + (describeRange(p) ? ` — ${describeRange(p)}` : '') });
    const error = el('span', { id: errId, class: 'error', role: 'alert' });
    const value = read(spec, p.name, i);
    const commit = (/** @type {unknown} */ v) => this.onEdit((s) => write(s, p.name, i, v), path);
    /** @type {HTMLSelectElement | HTMLInputElement | HTMLTextAreaElement} */
    let input;
    /** @type {Field['set']} */
    let set;
    if (p.type === 'choice') {
      const select = el('select', { id, 'aria-describedby': `${helpId} ${errId}` }, ...p.choices.map((c) => el('option', { value: c, text: c })));
      select.value = value;
      select.addEventListener('change', () => {
        // A new rule changes lr's meaning: its default follows the rule.
        if (p.name === 'methods[].rule') this.onEdit((s) => { write(s, p.name, i, select.value); delete s.methods[/** @type {number} */ (i)].lr; }, path);
        // A new method brings its own hyperparameter defaults: redraw their placeholders.
        else if (p.name === 'methods[].kind') this.onEdit((s) => write(s, p.name, i, select.value), path, true);
        else commit(select.value);
      });
      set = (v) => { select.value = v; };
      input = select;
    } else if (p.type === 'boolean') {
      const box = el('input', { id, type: 'checkbox', 'aria-describedby': `${helpId} ${errId}` });
      box.checked = Boolean(value);
      box.addEventListener('change', () => commit(box.checked));
      set = (v) => { box.checked = Boolean(v); };
      input = box;
    } else if (p.type === 'integer' || p.type === 'float') {
      // A method hyperparameter left empty takes its method's own default (schema.methods).
      const own = i === undefined ? undefined : this.schema.methods.find((m) => m.id === spec.methods[i].kind)?.defaults[leaf(p.name)];
      const optional = p.name === 'methods[].lr' || own !== undefined;
      const fallback = own ?? p.default;
      const number = el('input', {
        id, type: 'number', inputmode: 'decimal', step: 'any', min: p.min, max: p.max,
        'aria-describedby': `${helpId} ${errId}`,
        placeholder: p.name === 'methods[].lr' ? 'default for the rule' : own !== undefined ? `default ${own}` : undefined,
      });
      number.value = value ?? '';
      const wrap = el('div', { class: 'inputs' });
      /** @type {HTMLInputElement | null} */
      let slider = null;
      const sc = sliderScale(p);
      if (sc) {
        const range = el('input', { type: 'range', min: 0, max: SLIDER_STEPS, step: 1, 'aria-label': `${leaf(p.name)} slider`, tabindex: -1 });
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
      number.addEventListener('change', () => {
        const raw = number.value.trim();
        if (raw === '' && optional) return commit(undefined);
        const v = Number(raw);
        if (raw === '' || !Number.isFinite(v)) return this.showError(path, `${leaf(p.name)}: "${raw}" is not a number; allowed: ${describeRange(p)}`);
        if (p.type === 'integer' && !Number.isInteger(v)) return this.showError(path, `${leaf(p.name)}: ${raw} is not a whole number; allowed: ${describeRange(p)}`);
        commit(v);
      });
      set = (v) => {
        number.value = v ?? '';
        if (slider && sc) slider.value = String(toSlider(sc, v ?? fallback));
      };
      root.append(label, wrap, help, error);
      this.fields.set(path, { root, set, error, input: number });
      return root;
    } else if (p.type === 'matrix') {
      const text = el('textarea', { id, rows: 4, spellcheck: 'false', 'aria-describedby': `${helpId} ${errId}`, placeholder: '2 1\n1 2' });
      const rows = (/** @type {number[][] | null | undefined} */ m) => (m ? m.map((r) => r.join(' ')).join('\n') : '');
      text.value = rows(value);
      text.addEventListener('change', () => {
        let m;
        try { m = parseMatrixText(text.value); } catch (e) { return this.showError(path, `matrix: not valid JSON (${/** @type {Error} */ (e).message})`); }
        commit(m);
      });
      set = (v) => { text.value = rows(v); };
      input = text;
    } else {
      // Vector (x0) and text (label).
      const vector = p.type === 'vector';
      const line = el('input', { id, type: 'text', 'aria-describedby': `${helpId} ${errId}`, placeholder: vector ? 'e.g. 1, -0.5' : 'automatic' });
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
      if (document.activeElement !== f.input) f.set(read(spec, /** @type {string} */ (f.root.dataset.param), i));
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
