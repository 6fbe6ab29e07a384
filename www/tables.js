// @ts-check
// The methods summary and the geometry read-outs as accessible tables (text only).

/** @param {number | null | undefined} v
 * @param {number} [digits] significant digits */
export function fmt(v, digits = 4) {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(digits - 1) : String(Number(v.toPrecision(digits)));
}

/** @param {{ low: number, high: number } | null | undefined} iv */
function interval(iv) {
  if (!iv) return '—';
  return iv.low === iv.high ? fmt(iv.low) : `[${fmt(iv.low)}, ${fmt(iv.high)}]`;
}

/** Cells made of numbers only ("1.5e-4", "[0.5, 2]", "97.2%", "1.9 of 9") never wrap. */
const NUMERIC = /^[\s\d.,;eE+\-−∞%[\]—]+( of \d+)?$|^NaN$/;

/** A row of text cells; with `header`, the first is the row's header.
 * @param {string[]} cells
 * @param {boolean} [header] */
export function row(cells, header) {
  const tr = document.createElement('tr');
  cells.forEach((text, k) => {
    const cell = document.createElement(k === 0 && header ? 'th' : 'td');
    if (k === 0 && header) cell.scope = 'row';
    else if (NUMERIC.test(text)) cell.className = 'num';
    cell.textContent = text;
    tr.append(cell);
  });
  return tr;
}

/** @param {HTMLTableSectionElement} tbody
 * @param {import('./types').RunResult} result */
export function renderSummary(tbody, result) {
  // Without f* (networks) the traces hold the loss itself, and the page says so.
  tbody.closest('[role=tabpanel]')?.classList.toggle('no-fstar', result.problem.f_star == null);
  // A minibatch run's f is the full training loss at its evaluation points, and the page says so.
  tbody.closest('[role=tabpanel]')?.classList.toggle('minibatch', result.methods.some((/** @type {any} */ m) => m.batch_loss));
  tbody.replaceChildren(...result.methods.map((/** @type {any} */ m) => {
    const last = m.f[m.f.length - 1];
    const scale = m.tuning ? `${fmt(m.lr)} (tuned)` : fmt(m.lr);
    const acc = m.accuracy ? `; accuracy ${(100 * m.accuracy.train).toFixed(1)}% train, ${(100 * m.accuracy.test).toFixed(1)}% test` : '';
    const groups = m.curves?.group_loss?.at(-1);
    const split = groups ? `; training loss ${fmt(groups[0], 3)} frequent, ${fmt(groups[1], 3)} middle, ${fmt(groups[2], 3)} rare classes` : '';
    return row([m.label, m.message + acc + split, String(m.stopped_at), fmt(last), scale], true);
  }));
}

/** The geometry read-outs of report r, or `why` there are none (yet).
 * @param {HTMLTableSectionElement} tbody
 * @param {import('./types').Report | null} r
 * @param {string | null} [why] */
export function renderGeometry(tbody, r, why) {
  if (!r) {
    tbody.replaceChildren(row(['geometry', why || 'Not measured yet.'], true));
    return;
  }
  const linf = r.linf_exact != null
    ? `${fmt(r.linf_exact, 6)} (exact: ${r.linf_exact_method})`
    : `[${fmt(r.linf_lower, 6)}, ${fmt(r.linf_upper, 6)}] (lower: ${r.linf_lower_method}; upper: ${r.linf_upper_method})`;
  const rows = [
    ['scope', r.scope === 'global' ? 'global (quadratic: the Hessian is constant)' : `${r.scope} (this Hessian only)`],
    ['d', String(r.d)],
    ['L₂ = max |λ|', fmt(r.l2, 6)],
    ['λ̄ = tr H / d', fmt(r.lambda_mean, 6)],
    ['spread λ_max / λ̄', fmt(r.spread)],
    ['ρ_diag = Σ|H_ii| / Σ|H_ij|', fmt(r.rho_diag)],
    ['L∞ = ‖H‖∞,1', linf],
    ['L_sep (certified)', r.l_sep != null ? `${fmt(r.l_sep, 6)} (gap ${fmt(r.gap, 2)})` : (r.psd ? '—' : 'not defined: H is not PSD')],
    ['ceiling d L₂ / L∞ (sign GD’s best per-step advantage)', interval(r.predicted_ratio)],
    ['L_sep / L∞ (1 to π/2)', interval(r.l_sep_over_linf)],
    ['bound ρ_diag λ_max/λ̄ ≤ d L₂/L∞ ≤ λ_max/λ̄', interval(r.two_sided_bound)],
  ];
  tbody.replaceChildren(...rows.map((cells) => row(cells, true)));
}

/** Sign GD against GD (docs/theory.md §4), then spectral descent against GD (§6), each in three
 * numbers named for what they are, from the run's own comparisons; null without either pair.
 * The ceiling and the prediction are per-step guarantees turned into steps; the measured number
 * is steps too, unless a run missed the target, and then the sentence says it is not.
 * @param {import('./types').RunResult} result */
export function verdict(result) {
  const sentences = [signVerdict(result), spectralVerdict(result)].filter(Boolean);
  return sentences.length ? sentences.join(' ') : null;
}

/** The measured number's sentence: steps when both runs reached the target, else the final-loss
 * ratio, said to be a different quantity.
 * @param {import('./types').RunResult} result
 * @param {any} c a comparison
 * @param {string} name the other method
 * @param {any} other its result */
function measuredSentence(result, c, name, other) {
  const gd = result.methods[c.gd];
  const winner = (/** @type {number} */ x) => (x > 1 ? name : 'GD');
  if (c.measure === 'steps') {
    const named = (c.predicted > 1) === (c.measured > 1) ? 'as predicted' : 'against the prediction';
    return `Measured: GD needed ${gd.stopped_at} steps and ${name} ${other.stopped_at} to reach the target, a ratio of ${fmt(c.measured, 3)}: ${winner(c.measured)} wins, ${named}.`;
  }
  const last = (/** @type {any} */ m) => m.f[m.f.length - 1];
  return `Not measured in steps: a run missed the target. After the run f − f* is ${fmt(last(gd))} for GD and ${fmt(last(other))} for ${name}, a ratio of ${fmt(c.measured, 3)} (a final-loss ratio, not comparable with the two numbers above).`;
}

/** Spectral descent against GD in the same three numbers (docs/theory.md §6), from the run's
 * spectral comparison (the first GD and spectral method with theory steps).
 * @param {import('./types').RunResult} result */
function spectralVerdict(result) {
  const c = result.spectral_comparison;
  if (!c) return null;
  const winner = c.predicted > 1 ? 'spectral descent' : 'GD';
  const bound = c.spec_exact ? '' : ' (L_spec is only bounded above here, so both are lower bounds)';
  return `Spectral descent: ceiling R L₂ / L_spec (R = ${c.max_nuclear_rank}, all singular values equal): ${fmt(c.ceiling, 3)}. `
    + `Predicted from the guarantees along both runs, with the nuclear rank they met: ${fmt(c.predicted, 3)}, so ${winner} should need fewer steps${bound}. `
    + measuredSentence(result, c, 'spectral descent', result.methods[c.spectral]);
}

/** Sign GD against GD, from the run's comparison (the first GD and sign GD with theory steps).
 * @param {import('./types').RunResult} result */
function signVerdict(result) {
  const c = result.comparison;
  if (!c) return null;
  const winner = (/** @type {number} */ x) => (x > 1 ? 'sign GD' : 'GD');
  const bound = c.linf_exact ? '' : ' (L∞ is only bounded here, so both are lower bounds)';
  const head = `Ceiling d L₂ / L∞ (perfectly dense gradients): ${fmt(c.ceiling, 3)}. `
    + `Predicted from the guarantees along both runs, with the gradient density they met: ${fmt(c.predicted, 3)}, so ${winner(c.predicted)} should need fewer steps${bound}.`;
  return `${head} ${measuredSentence(result, c, 'sign GD', result.methods[c.sign_gd])}`;
}

/** The Hessian analysis: spectrum read-outs, then each mass and bound read-out for the Hessian
 * and for its same-spectrum rotation side by side.
 * @param {HTMLTableSectionElement} tbody
 * @param {import('./types').Anatomy} a */
export function renderAnatomy(tbody, a) {
  /** @type {(label: string, get: (m: any) => string) => HTMLTableRowElement} */
  const both = (label, get) => row([label, a.hessian ? get(a.hessian) : '—', a.rotated ? get(a.rotated) : '—'], true);
  const linf = (/** @type {any} */ m) => (m.linf_exact != null ? `${fmt(m.linf_exact, 6)} (exact)` : `[${fmt(m.linf_lower, 5)}, ${fmt(m.linf_upper, 5)}]`);
  const rows = [
    row(['where', a.scope, ''], true),
    row(['d; f at the checkpoint', `${a.d}; ${fmt(a.f, 6)}`, ''], true),
    row(['spectrum from', a.spectrum_method, ''], true),
    row(['λ_max, λ_min', `${fmt(a.lambda_max)}, ${fmt(a.lambda_min)}`, 'the same'], true),
    row(['λ̄ = tr H / d; spread λ_max / λ̄', `${fmt(a.lambda_bar)}; ${fmt(a.spread)}`, 'the same'], true),
    row(['largest eigenvalues', a.top.map((/** @type {number} */ v) => fmt(v, 3)).join(', '), 'the same'], true),
  ];
  if (!a.hessian) rows.push(row(['the matrix itself', 'not formed: ρ_diag, the blocks, the heat maps and L∞ need the dense Hessian (at most 2000 parameters)', ''], true));
  rows.push(both('ρ_diag = Σ|H_ii| / Σ|H_ij|', (m) => fmt(m.rho_diag)));
  if (a.blocks.length) {
    rows.push(both('mass in the layer blocks', (m) => `${(100 * m.block_mass).toFixed(1)}%`));
    a.blocks.forEach((/** @type {any} */ b, /** @type {number} */ k) => rows.push(both(`ρ_diag of ${b.name} (${b.len} parameters)`, (m) => fmt(m.block_rho_diag[k]))));
  }
  rows.push(both('L∞ = ‖H‖∞,1', linf));
  rows.push(both('ceiling d L₂ / L∞ (sign GD’s best per-step advantage)', (m) => interval(m.predicted_ratio)));
  tbody.replaceChildren(...rows);
}

/** GD's, sign descent's and spectral descent's numbers at the checkpoint, one kind per row
 * (docs/theory.md §4 and §6); the spectral column is empty without weight matrices. Each label
 * says which kind of number it is (bracket, ceiling, prediction, measurement) in a few words, so
 * that the table fits its column on a desktop and reads on a phone; the note under the table
 * (index.html) says the rest.
 * @param {HTMLTableSectionElement} tbody
 * @param {import('./types').Anatomy} a */
export function renderNormGeometry(tbody, a) {
  if (!a.geometry.length) {
    tbody.replaceChildren(row(['not formed', 'the constants need the dense Hessian (at most 2000 parameters)', '', ''], true));
    return;
  }
  const by = (/** @type {string} */ id) => a.geometry.find((/** @type {any} */ n) => n.norm === id);
  /** @type {(label: string, get: (n: any) => string) => HTMLTableRowElement} */
  const line = (label, get) => row([label, ...['l2', 'linf', 'spectral'].map((id) => (by(id) ? get(by(id)) : '—'))], true);
  tbody.replaceChildren(
    line('smoothness L', (n) => interval(n.smoothness)),
    line('ceiling D L₂ / L', (n) => interval(n.ceiling)),
    line('measured: the gradient’s spread, of D', (n) => `${fmt(n.spread)} of ${n.max_spread}`),
    line('predicted: spread L₂ / L', (n) => interval(n.predicted)),
    line('measured: one theory step’s decrease over GD’s', (n) => fmt(n.measured)),
  );
}
