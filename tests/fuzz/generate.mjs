// @ts-check
// The fuzz suite's seeded, structure-aware generator: specs, page URLs and matrices built from the
// core's own schema (every parameter's type, range and `when`), mostly valid, with values at and
// past the edges of each range, wrong types, hostile text, and the known problem classes
// (huge and tiny entries, zero matrices, non-UTF-8 arguments, a closed stdout, oversized input,
// unaffordable exact L_inf). A case is abstract: the CLI driver and the wasm driver both run it.
//
// Work is kept bounded where the schema allows long but finite computations (d = 2000 x 100k
// steps x 8 methods is hours of legitimate work, reported with progress): sizes are drawn small
// most of the time and large with few steps. The classes whose answer must be quick whatever
// their size (refused up front, or budgeted) are drawn at full size.

/** @typedef {{ name: string, type: string, group: string, min?: number, max?: number,
 *   min_exclusive?: boolean, max_exclusive?: boolean, log_scale?: boolean, choices?: string[],
 *   default?: unknown, when: [string, string[]][] }} Param */
/** @typedef {{ params: Param[], limits: { max_d: number }, methods: { id: string, theory_norm: string | null }[] }} Schema */
/** @typedef {Record<string, any>} Json */
/**
 * @typedef {{ task: 'run', spec: Json | string, csv: boolean }
 *   | { task: 'query', query: string }
 *   | { task: 'matrix', text: string, exact: string }
 *   | { task: 'smoothness', spec: Json | string, exact: string, along: number }
 *   | { task: 'sweep', spec: Json | string }
 *   | { task: 'analysis', spec: Json | string, at: number[] }
 *   | { task: 'url', spec: Json | string }
 *   | { task: 'argv', args: (string | Uint8Array)[] }
 *   | { task: 'closed-stdout', args: string[] }
 *   | { task: 'oversized', what: 'matrix' | 'row' | 'x0' | 'zero' }
 * } Case
 */

/** A small seeded generator (xorshift32 on a splitmix-style seed): the same cases everywhere. */
export class Rng {
  /** @param {number} seed */
  constructor(seed) {
    let s = (seed ^ 0x9e3779b9) >>> 0;
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
    this.s = (s ^ (s >>> 16)) >>> 0 || 1;
  }

  /** Uniform in [0, 1). */
  next() {
    let x = this.s;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.s = x;
    return x / 4294967296;
  }

  /** @param {number} p */
  chance(p) { return this.next() < p; }

  /** Integer in [lo, hi]. @param {number} lo @param {number} hi */
  int(lo, hi) { return lo + Math.floor(this.next() * (hi - lo + 1)); }

  /** Integer in [lo, hi], log-uniform (small values as likely per decade as large ones).
   * @param {number} lo @param {number} hi */
  logInt(lo, hi) {
    const a = Math.log(Math.max(lo, 0) + 1), b = Math.log(hi + 1);
    return Math.min(hi, Math.max(lo, Math.floor(Math.exp(a + this.next() * (b - a))) - 1));
  }

  /** @template T @param {readonly T[]} items @returns {T} */
  pick(items) { return items[Math.floor(this.next() * items.length)]; }

  normal() {
    const u = 1 - this.next(), v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** Text that must be echoed escaped: terminal escapes, bidi overrides, NUL, a lone surrogate. */
export const HOSTILE_TEXT = ['\u001b[2J', '\u001b]0;owned\u0007', '\u202eevil', 'a\u0000b', '\r\n', '\u0008\u007f',
  'caf\u00e9', '\ud800', '"}', 'x'.repeat(300)];

/** Extreme numbers: the class that overflowed products and hung the eigensolver. */
const EXTREME = [1e300, -1e300, 1.7976931348623157e308, 1e160, -1e160, 1.34e154, 1e-300, 5e-324, -5e-324, 1e-160];

/** A number for a float parameter: in range mostly (edges, log-uniform), else out of range or
 * not a number at all.
 * @param {Rng} r @param {Param} p */
function floatValue(r, p) {
  const lo = p.min ?? -1e6, hi = p.max ?? 1e6;
  const roll = r.next();
  if (roll < 0.15) return r.pick([lo, hi]);
  if (roll < 0.8) {
    if (p.log_scale && hi > 0) {
      const a = Math.log(Math.max(lo, hi * 1e-12)), b = Math.log(hi);
      return Math.exp(a + r.next() * (b - a));
    }
    return lo + r.next() * (hi - lo);
  }
  if (roll < 0.97) return p.default ?? lo;
  return r.pick([lo - 1, hi * 2, -0, NaN, Infinity, 1e308, 'x', null, true, [1]]);
}

/** @param {Rng} r @param {Param} p */
function intValue(r, p) {
  const lo = p.min ?? 0, hi = p.max ?? 1e6;
  const roll = r.next();
  if (roll < 0.15) return r.pick([lo, hi]);
  if (roll < 0.8) return r.logInt(lo, hi);
  if (roll < 0.97) return p.default ?? lo;
  return r.pick([lo - 1, hi + 1, 2 ** 53, 2 ** 64, 1.5, -1, '3', null]);
}

/** A value for any parameter of the schema.
 * @param {Rng} r @param {Param} p */
function value(r, p) {
  switch (p.type) {
    case 'float': return floatValue(r, p);
    case 'integer': return intValue(r, p);
    case 'boolean': return r.chance(0.98) ? r.chance(0.5) : r.pick(['yes', 1, null]);
    case 'choice': return r.chance(0.98) ? r.pick(/** @type {string[]} */ (p.choices)) : r.pick([...HOSTILE_TEXT, 'GD', 1]);
    case 'text': return r.chance(0.8) ? `m${r.int(0, 99)}` : r.pick(HOSTILE_TEXT);
    default: return undefined;
  }
}

/** A symmetric matrix as rows: random, zero, near-zero, diagonal, with huge or tiny entries,
 * tridiagonal, low rank, indefinite.
 * @param {Rng} r @param {number} d */
export function matrixRows(r, d) {
  const kind = r.pick(['gauss', 'gauss', 'zero', 'tiny', 'huge', 'huge-one', 'diag', 'tridiag', 'rank1', 'psd', 'scaled']);
  const big = r.pick(EXTREME);
  const scale = kind === 'scaled' ? 2 ** r.int(-1000, 1000) : 1;
  /** @type {number[][]} */
  const m = Array.from({ length: d }, () => new Array(d).fill(0));
  const u = Array.from({ length: d }, () => r.normal());
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let v = 0;
      switch (kind) {
        case 'gauss': v = r.normal(); break;
        case 'zero': v = 0; break;
        case 'tiny': v = r.normal() * 1e-300; break;
        case 'huge': v = r.normal() * big; break;
        case 'huge-one': v = i === 0 && j === d - 1 ? big : r.normal(); break;
        case 'diag': v = i === j ? r.normal() * 10 : 0; break;
        case 'tridiag': v = i === j ? 2 : j === i + 1 ? -1 : 0; break;
        case 'rank1': v = u[i] * u[j] * 3; break;
        case 'psd': v = (i === j ? d : 0) + u[i] * u[j]; break;
        case 'scaled': v = r.normal() * scale; break;
      }
      if (!Number.isFinite(v)) v = big;
      m[i][j] = v;
      m[j][i] = v;
    }
  }
  return m;
}

/** A matrix as text in one of the accepted forms, sometimes malformed.
 * @param {Rng} r @param {number} d */
function matrixText(r, d) {
  const rows = matrixRows(r, d);
  const roll = r.next();
  if (roll < 0.4) return JSON.stringify(rows);
  if (roll < 0.6) return JSON.stringify({ matrix: rows });
  if (roll < 0.8) return rows.map((row) => row.join(r.pick([' ', ', ', '\t']))).join(r.pick(['\n', '; ']));
  return r.pick([
    '', '[]', '[[]]', '[[1, 2], [3]]', '[[1, 2], [3, 4]]', '[[NaN]]', '[[1e999]]', '{"matrix": 1}', '[[1,],[2]]',
    '1 2; 3', '\u001b[2J', '[[1]] tail', '[' + '['.repeat(5000), 'null', '[[0x10]]', '[[1_0]]', '[["1"]]',
    `[[${'9'.repeat(400)}]]`,
  ]);
}

/** Percent-encodes a value; a lone surrogate becomes the bytes of its (invalid) UTF-8 form.
 * @param {string} v */
function enc(v) {
  try {
    return encodeURIComponent(v);
  } catch {
    return v.split('').map((ch) => /[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch)).join('');
  }
}

/** Whether a parameter applies under the spec built so far (its `when` conditions).
 * @param {Param} p @param {Json} spec @param {Json} [method] */
function applies(p, spec, method) {
  return p.when.every(([field, allowed]) => {
    const v = field.startsWith('methods[].') ? method?.[field.slice(10)] : field.split('.').reduce(
      (/** @type {any} */ o, k) => o?.[k], spec);
    return v === undefined || allowed.includes(v);
  });
}

/** @param {Json} obj @param {string} path @param {unknown} v */
function setPath(obj, path, v) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys[keys.length - 1]] = v;
}

/** A spec: the problem kind first, then a random subset of the parameters that apply, then
 * sizes held to a bounded amount of work (see the file's head).
 * @param {Rng} r @param {Schema} schema */
export function spec(r, schema) {
  /** @type {Json} */
  const s = { problem: { kind: r.pick(['quadratic', 'quadratic', 'quad2d', 'matrix', 'rosenbrock', 'network']) } };
  for (const p of schema.params) {
    if (p.name === 'problem.kind' || p.name === 'version' || p.name.startsWith('methods[]')) continue;
    const rate = p.group === 'sweep' || p.group === 'analysis' ? 0.05 : 0.3;
    if (!applies(p, s) || !r.chance(rate)) continue;
    if (p.type === 'vector') {
      const d = s.problem.kind === 'quad2d' ? 2 : s.problem.d ?? 20;
      const n = r.chance(0.9) && Number.isInteger(d) && d > 0 && d <= 2000 ? d : r.int(1, 5);
      setPath(s, p.name, r.chance(0.9) ? Array.from({ length: n }, () => r.normal() * r.pick([1, 1e6, 1e11, 1e-300])) : [1e300, NaN]);
    } else if (p.type === 'matrix') continue;
    else setPath(s, p.name, value(r, p));
  }
  if (s.problem.kind === 'matrix') s.problem.matrix = matrixRows(r, r.logInt(1, 40));
  const methodParams = schema.params.filter((p) => p.name.startsWith('methods[].'));
  const kinds = /** @type {string[]} */ (methodParams.find((p) => p.name === 'methods[].kind')?.choices);
  s.methods = Array.from({ length: r.chance(0.95) ? r.int(1, 4) : r.int(0, 10) }, () => {
    /** @type {Json} */
    const m = { kind: r.chance(0.99) ? r.pick(kinds) : r.pick(HOSTILE_TEXT) };
    for (const p of methodParams) {
      if (p.name !== 'methods[].kind' && applies(p, s, m) && r.chance(0.25)) m[p.name.slice(10)] = value(r, p);
    }
    const theory = schema.methods.find((x) => x.id === m.kind)?.theory_norm && !['network', 'rosenbrock'].includes(s.problem.kind);
    if (m.rule === 'theory' && !theory && r.chance(0.9)) m.rule = 'auto';
    return m;
  });
  bound(r, s);
  if (r.chance(0.03)) s[r.pick(['unknown', 'problem.typo'])] = 1;
  return s;
}

/** Largest d of the cases whose work grows as d^3 (see `bound`). */
const MAX_CUBIC_D = 1000;

/** Redraws an allowed d above MAX_CUBIC_D below it (a d out of range stays: its error is quick).
 * @param {Rng} r @param {Json} s */
function capCubic(r, s) {
  const d = s.problem.d;
  if (Number.isInteger(d) && d > MAX_CUBIC_D && d <= 2000) s.problem.d = r.logInt(2, MAX_CUBIC_D);
}

/** Holds a spec's work to a few seconds: d^2 x steps x methods x tuning grid, and the network's
 * rows x steps. Sizes stay large with few steps.
 * @param {Rng} r @param {Json} s */
function bound(r, s) {
  s.run ??= {};
  // Generating a rotated problem is O(d^3) work of its own (a Haar rotation, then Q D Q^T or the
  // rotated Hessian): about 2.4 s of CPU natively at d = 2000 since issue 15 item 3's strip-wise
  // kernels, but still about 10 s in wasm, which with the run's steps a loaded machine pushes
  // towards the hang timeout. Rotated problems are drawn up to d = 1000 (an eighth of the work).
  const rotated = (s.problem.kind === 'quadratic' && s.problem.rotation > 0) || s.problem.rotate_params === true;
  if (rotated) capCubic(r, s);
  const d = typeof s.problem.d === 'number' && s.problem.d > 0 ? Math.min(s.problem.d, 2000) : 20;
  const tuned = (s.methods ?? []).filter((/** @type {Json} */ m) => m.tune === true).length;
  const grid = typeof s.run.tune_points === 'number' ? Math.min(61, Math.max(2, s.run.tune_points)) : 16;
  const methods = Math.max(1, (s.methods ?? []).length) + tuned * grid;
  const perStep = (s.problem.kind === 'network' ? 4e5 * (1 + (s.problem.hidden ?? 16) / 16) : d * d) * methods;
  const steps = typeof s.run.steps === 'number' ? s.run.steps : 500;
  const allowed = Math.max(1, Math.floor(3e8 / perStep));
  if (!(steps <= allowed)) s.run.steps = Math.max(1, Math.min(allowed, r.logInt(1, 500)));
  if (typeof s.analysis?.step === 'number' && s.analysis.step > s.run.steps && r.chance(0.8)) s.analysis.step = s.run.steps;
}

/** A sweep spec: few cells, problems and steps (a sweep is cells x problems x tuning runs).
 * @param {Rng} r @param {Schema} schema */
function sweepSpec(r, schema) {
  const s = spec(r, schema);
  s.problem = { kind: 'quadratic', spectrum: 'outliers', d: r.logInt(1, 60), outliers: r.int(0, 4), rotation: r.next() };
  s.sweep = { ...s.sweep, spread_points: r.int(2, 3), rotation_points: r.int(2, 3), problems: r.int(1, 2),
    tune_points: r.int(2, 4), spread_max: r.chance(0.7) ? 1 + r.next() * 3 : s.sweep?.spread_max };
  s.run = { ...s.run, steps: r.logInt(1, 200) };
  return s;
}

/** A page URL query: valid keys with valid and invalid values, unknown keys, broken escapes.
 * @param {Rng} r @param {Schema} schema */
export function query(r, schema) {
  const s = spec(r, schema);
  /** @type {string[]} */
  const pairs = [];
  // The page's keys: problem fields and run fields by name, problem.kind as `problem`, the other
  // groups with their prefix, method i as m{i} and m{i}.{field}.
  const key = (/** @type {string} */ group, /** @type {string} */ k) =>
    group === 'problem' ? (k === 'kind' ? 'problem' : k) : group === 'run' ? k : `${group}.${k}`;
  for (const [group, fields] of Object.entries(s)) {
    if (group === 'methods' || !fields || typeof fields !== 'object') continue;
    for (const [k, v] of Object.entries(fields)) {
      // The step count always: it holds the work bounded (a link's default is 500 steps).
      if (v !== undefined && (r.chance(0.8) || (group === 'run' && k === 'steps'))) pairs.push(`${key(group, k)}=${enc(Array.isArray(v) ? v.join(',') : String(v))}`);
    }
  }
  (s.methods ?? []).forEach((/** @type {Json} */ m, /** @type {number} */ i) => {
    pairs.push(`m${i}=${enc(String(m.kind))}`);
    for (const [k, v] of Object.entries(m)) if (k !== 'kind' && r.chance(0.7)) pairs.push(`m${i}.${k}=${enc(String(v))}`);
  });
  if (r.chance(0.3)) pairs.push(r.pick(['view=sweep', 'view=hessian', 'view=geometry2d', 'embed=1', 'plot=f', 'preset=sweep',
    'x0=1,2,3', 'matrix=1,1e300;1e300,1', 'matrix=0', '%zz=1', 'd=%E2%80%AE5', 'm99=gd', 'zzz=1', '=', '&&', 'd=5&view=sweep']));
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
  }
  return pairs.join('&');
}

/** Command lines that are not specs: bad bytes, unknown options, hostile values.
 * @param {Rng} r */
function argv(r) {
  const bad = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x6a, 0x73, 0x6f, 0x6e]); // "caf\xe9.json"
  return r.pick([
    ['run', '--spec', bad], ['smoothness', '--matrix', bad], ['run', '--set', bad], [bad], ['run', '--preset', bad],
    ['run', '--set', `d=${r.pick(HOSTILE_TEXT)}`], ['run', '--set', `m0=${r.pick(HOSTILE_TEXT)}`],
    ['run', '--preset', r.pick(HOSTILE_TEXT)], ['run', `--${r.pick(HOSTILE_TEXT)}`], ['nonsense'], [],
    ['run', '--set', 'd'], ['run', '--set', '=5'], ['smoothness', '--set', 'd=5', '--along-trajectory', '0'],
    ['analysis', '--set', 'd=5', '--at', 'x,1'], ['url', '--preset', 'sweep', '--base', r.pick(HOSTILE_TEXT)],
    ['spec', '--schema', '--defaults'], ['presets'], ['--version'], ['run', '--help'],
  ]);
}

/** The one case of index i under `seed`: the same for the CLI and the wasm core.
 * @param {number} seed @param {number} i @param {Schema} schema @returns {Case} */
export function makeCase(seed, i, schema) {
  const r = new Rng(seed * 1000003 + i);
  /** A spec, sometimes as (possibly broken) JSON text. */
  const anySpec = (/** @type {Json} */ s) => r.chance(0.05)
    ? r.pick(['', '{', '[]', 'null', '{"problem": {"d": 1e999}}', JSON.stringify(s).slice(0, -1), '{"problem":{"kind":"\\u001b[2J"}}'])
    : s;
  const roll = r.next();
  if (roll < 0.3) return { task: 'run', spec: anySpec(spec(r, schema)), csv: r.chance(0.3) };
  if (roll < 0.45) return { task: 'query', query: query(r, schema) };
  if (roll < 0.62) {
    const d = r.chance(0.9) ? r.logInt(1, 40) : r.pick([60, 200, 600]);
    return { task: 'matrix', text: matrixText(r, d), exact: r.pick(['auto', 'auto', 'never', 'always']) };
  }
  if (roll < 0.72) {
    const s = spec(r, schema);
    if (r.chance(0.1)) Object.assign(s.problem, { kind: 'quadratic', d: r.pick([40, MAX_CUBIC_D]), rotation: 1, spectrum: r.pick(['uniform', 'outliers']) });
    return { task: 'smoothness', spec: anySpec(s), exact: r.pick(['auto', 'auto', 'never', 'always']), along: r.chance(0.2) ? r.int(1, 20) : 0 };
  }
  if (roll < 0.77) return { task: 'sweep', spec: anySpec(sweepSpec(r, schema)) };
  if (roll < 0.85) {
    // The analysis's dense spectrum and its same-spectrum twin are O(d^3) too (see `bound`).
    const s = spec(r, schema);
    capCubic(r, s);
    const at = r.chance(0.3) ? Array.from({ length: r.pick([2, 5, 150]) }, () => r.int(0, 30)) : [];
    return { task: 'analysis', spec: anySpec(s), at };
  }
  if (roll < 0.9) return { task: 'url', spec: anySpec(spec(r, schema)) };
  if (roll < 0.96) return { task: 'argv', args: argv(r) };
  if (roll < 0.98) {
    return { task: 'closed-stdout', args: r.pick([['presets'], ['run', '--preset', 'outliers-diagonal'], ['spec', '--schema'],
      ['smoothness', '--set', 'd=30']]) };
  }
  return { task: 'oversized', what: r.pick(['matrix', 'row', 'x0', 'zero']) };
}
