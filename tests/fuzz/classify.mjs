// @ts-check
// What a fuzz case's outcome was: ok, a clean error (naming the field or not), or one of the three
// failures: panic, hang, bad output (null or NaN where a number is promised, unescaped control
// characters, output that is not what the command promises).

/** @typedef {'ok' | 'error-named' | 'error-unnamed' | 'panic' | 'hang' | 'bad-output'} Class */
/** @typedef {{ cls: Class, why?: string }} Verdict */

export const FAILURES = /** @type {const} */ (['panic', 'hang', 'bad-output']);
export const CLASSES = /** @type {const} */ (['ok', 'error-named', 'error-unnamed', 'panic', 'hang', 'bad-output']);

/** C0 controls other than tab, newline and carriage return; DEL; bidi overrides and isolates. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

/** A field named in an error: a spec path (problem.d, methods[1].lr), an option (--set), a row and
 * column of a matrix, one of the inputs by name, or the command line's token at fault, quoted
 * (clap's "unrecognized subcommand 'x'", "unexpected argument '--' found"). */
const NAMED = /[a-z_]+(\[\d+\])?\.[a-z_0-9]+|--[a-z-]+|\b(problem|methods|run|sweep|analysis|spec|matrix|row \d+|stdin|reading|preset|options|result|version|x0|d)\b|\b(subcommand|argument) '/;

/** @param {string} text */
export function controlChar(text) {
  const m = CONTROL.exec(text);
  return m ? `raw control character U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index}` : null;
}

/** @param {string} message @returns {Verdict} */
export function errorVerdict(message) {
  const raw = controlChar(message);
  if (raw) return { cls: 'bad-output', why: `error message: ${raw}` };
  return { cls: NAMED.test(message) ? 'error-named' : 'error-unnamed', why: message.slice(0, 200) };
}

const REPORT_NUMBERS = ['l2', 'lambda_max', 'lambda_min', 'lambda_mean', 'trace', 'abs_sum', 'rho_diag', 'linf_lower',
  'linf_upper'];

/** A row of numbers (an iterate), nulls standing for NaN as JSON writes them.
 * @param {unknown} v */
const isPoint = (v) => Array.isArray(v) && v.every((e) => e === null || typeof e === 'number');

/** Every place in a result where a number is promised and something else stands. Arrays of numbers
 * may hold null (or NaN) only at the last point of a method's run that diverged there (in any
 * coordinate of that point's iterate), an object whose status is diverged its own NaN values (its
 * final f), and step ratios' `actual` where `actual_undefined` names why; smoothness
 * reports must give every constant, and every ratio unless `degenerate` names why not.
 * @param {unknown} value @returns {string | null} */
export function badNumbers(value) {
  /** @type {string[]} */
  const found = [];
  /** @param {unknown} v @param {string} path @param {boolean} diverged */
  const walk = (v, path, diverged) => {
    if (found.length) return;
    if (typeof v === 'number') {
      if (Number.isNaN(v)) found.push(`${path} is NaN`);
      return;
    }
    if (Array.isArray(v)) {
      const numeric = v.some((x) => typeof x === 'number');
      v.forEach((x, i) => {
        const last = i === v.length - 1;
        if (numeric && (x === null || Number.isNaN(x)) && !(diverged && last)) found.push(`${path}[${i}] is ${x}`);
        // The last point of a diverged run is the divergence itself: a number, or an iterate
        // (a row of numbers) any coordinate of which may have overflowed.
        else if (!(diverged && last && (typeof x === 'number' || isPoint(x)))) walk(x, `${path}[${i}]`, diverged && last);
      });
      return;
    }
    if (v && typeof v === 'object') {
      const o = /** @type {Record<string, unknown>} */ (v);
      if ('linf_lower' in o && 'eigenvalues' in o) reportProblems(o, path).forEach((p) => found.push(p));
      // An object that says it diverged (a run, a tuning grid's outcome) may hold NaN where its
      // value was when it did (final_f): that is the divergence, reported as data.
      const own = o.status === 'diverged';
      const div = diverged || own;
      // A per-step picture whose actual ratio has no value at some points names why and where
      // (actual_undefined): its nulls there are that case, named.
      const named = typeof o.actual_undefined === 'string';
      for (const [k, x] of Object.entries(o)) {
        if (own && Number.isNaN(x)) continue;
        const kept = named && k === 'actual' && Array.isArray(x) ? x.filter((v) => v !== null && !Number.isNaN(v)) : x;
        walk(kept, `${path}.${k}`, div);
      }
    }
  };
  walk(value, '$', false);
  return found[0] ?? null;
}

/** @param {Record<string, any>} r @param {string} path */
function reportProblems(r, path) {
  /** @type {string[]} */
  const out = [];
  const finite = (/** @type {unknown} */ x) => typeof x === 'number' && Number.isFinite(x);
  for (const k of REPORT_NUMBERS) if (!finite(r[k])) out.push(`${path}.${k} is ${r[k]}`);
  if (!r.predicted_ratio || !finite(r.predicted_ratio.low) || !finite(r.predicted_ratio.high)) {
    out.push(`${path}.predicted_ratio is ${JSON.stringify(r.predicted_ratio)}`);
  }
  if (r.spread === null && !r.degenerate) out.push(`${path}.spread is null and degenerate names no reason`);
  if (r.psd && r.certificate?.valid && !finite(r.l_sep)) out.push(`${path}.l_sep is ${r.l_sep} with a valid certificate`);
  return out;
}

/** CSV: NaN or an infinity only on the last row of a method (the point where it diverged).
 * @param {string} text @returns {string | null} */
export function badCsv(text) {
  const lines = text.trimEnd().split('\n');
  if (!lines[0]?.startsWith('label,') && !lines[0]?.includes(',')) return `no CSV header: ${lines[0]?.slice(0, 80)}`;
  const labelOf = (/** @type {string} */ line) => line.startsWith('"') ? line.slice(0, line.lastIndexOf('",') + 1) : line.split(',')[0];
  for (let i = 1; i < lines.length; i++) {
    if (!/(^|,)(NaN|-?inf|null)(,|$)/.test(lines[i])) continue;
    const lastOfMethod = i === lines.length - 1 || labelOf(lines[i + 1]) !== labelOf(lines[i]);
    if (!lastOfMethod) return `CSV row ${i} has NaN, inf or null before its method's last row: ${lines[i].slice(0, 120)}`;
  }
  return null;
}

/** The verdict on a command's standard output (JSON or CSV as `kind` says).
 * @param {string} stdout @param {'json' | 'csv' | 'text'} kind @returns {Verdict} */
export function outputVerdict(stdout, kind) {
  const raw = controlChar(stdout);
  if (raw) return { cls: 'bad-output', why: `stdout: ${raw}` };
  if (kind === 'text') return { cls: 'ok' };
  if (kind === 'csv') {
    const bad = badCsv(stdout);
    return bad ? { cls: 'bad-output', why: bad } : { cls: 'ok' };
  }
  let value;
  try {
    value = JSON.parse(stdout);
  } catch (e) {
    return { cls: 'bad-output', why: `stdout is not JSON: ${/** @type {Error} */ (e).message}: ${stdout.slice(0, 80)}` };
  }
  const bad = badNumbers(value);
  return bad ? { cls: 'bad-output', why: bad } : { cls: 'ok' };
}
