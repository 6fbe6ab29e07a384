// @ts-check
// Every figure of the page, one row each: its name (the `plot=` id of an embed link), the view
// that shows it, the data it draws, how it draws (through the Rust core's plotters), its hover
// read-out and its exports (a PNG each, and a CSV of what it alone shows). plots.js sizes,
// redraws and hovers them; nothing else needs to know a figure's name.
import { wasm } from './core.js';
import { animation, supports2d } from './geometry2d.js';

/** @typedef {import('./types').FigureDef} FigureDef */
/** @typedef {import('./types').Frame} Frame */
/** @typedef {import('./types').HoverLine} HoverLine */
/** @typedef {import('./types').PageData} PageData */
/** @typedef {import('./types').FigureTable} FigureTable */

// Read after the core is initialised (module code runs before init()).
/** @type {string[] | null} */
let colors = null;
/** @param {number} i */
export const color = (i) => (colors ??= wasm.palette())[i % colors.length];

/** @param {number | null | undefined} v */
function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}

/** The data value at CSS pixel `x` of a frame's (linear) horizontal axis.
 * @param {Frame} f
 * @param {number} x */
const xAt = (f, x) => f.x_min + ((x - f.left) / (f.right - f.left)) * (f.x_max - f.x_min);

/** One line per method at the step under the pointer: `value(m, t)` of each method's series,
 * or [value, the step it was measured at] where that is another step.
 * @param {PageData} data
 * @param {Frame} f
 * @param {number} x
 * @param {(m: any, t: number) => number | [number, number] | undefined} value */
function traceLines(data, f, x, value) {
  const t = Math.round(xAt(f, x));
  /** @type {HoverLine[]} */
  const lines = [[null, `step ${t}`]];
  data.result.methods.forEach((/** @type {any} */ m, /** @type {number} */ i) => {
    const v = value(m, t);
    const text = v === undefined ? '(stopped)' : Array.isArray(v) ? `${fmt(v[0])} (at step ${v[1]})` : fmt(v);
    lines.push([color(i), `${m.label}: ${text}`]);
  });
  return lines;
}

/** The steps of a method's f, grad_* and density: a minibatch run's evaluation points (`t`),
 * else every step.
 * @param {any} m
 * @returns {number[]} */
const stepsOf = (m) => m.t ?? m.f.map((/** @type {number} */ _, /** @type {number} */ k) => k);

/** A full-objective series of a method at step t: its value there, or on a minibatch run the
 * nearest evaluation point's value and step; undefined past the run's last point.
 * @param {any} m
 * @param {string} series
 * @param {number} t
 * @returns {number | [number, number] | undefined} */
function atStep(m, series, t) {
  if (!m.t) return m[series][t];
  if (t > m.t[m.t.length - 1]) return undefined;
  const k = m.t.reduce((/** @type {number} */ b, /** @type {number} */ s, /** @type {number} */ j) => (Math.abs(s - t) < Math.abs(m.t[b] - t) ? j : b), 0);
  return m.t[k] === t ? m[series][k] : [m[series][k], m.t[k]];
}

/** The value of a series recorded at steps `ts` at the recorded step nearest to t.
 * @param {number[]} ts
 * @param {number[]} values
 * @param {number} t */
const nearest = (ts, values, t) => values[ts.reduce((b, s, j) => (Math.abs(s - t) < Math.abs(ts[b] - t) ? j : b), 0)];

/** A trace figure of the runs view: `kind` is the core's plot kind, `series` the result field
 * (its numbers are in the view's traces CSV).
 * @param {string} kind
 * @param {string} series
 * @param {string} label
 * @returns {FigureDef} */
function trace(kind, series, label) {
  return {
    name: kind, view: 'runs', selector: `figure[data-plot="${kind}"]`, needs: 'result', label,
    // What moves the curves apart: the rotation and the outliers' size; for networks, the rotation.
    controls: ['problem.rotation', 'problem.lambda_max', 'problem.rotate_params'],
    draw: (c, d, dpr, dark) => wasm.drawTraces(c, d.result, kind, dpr, dark),
    hover: (f, x, _y, d) => traceLines(d, f, x, (m, t) => atStep(m, series, t)),
    // One row per step where some method has the series (every step, or the evaluation points).
    dataTable: (d) => {
      const methods = d.result.methods;
      const steps = [...new Set(methods.flatMap(stepsOf))].sort((a, b) => a - b);
      return { head: ['step', ...methods.map((/** @type {any} */ m) => m.label)], rows: steps.map((t) => [t, ...methods.map((/** @type {any} */ m) => m[series][stepsOf(m).indexOf(t)] ?? null)]) };
    },
  };
}

/** The sweep cell under the pointer.
 * @param {any} s the sweep
 * @param {Frame} f
 * @param {number} x
 * @param {number} y */
function cellLines(s, f, x, y) {
  const i = Math.floor(((x - f.left) / (f.right - f.left)) * f.x_max);
  const j = Math.floor(((f.bottom - y) / (f.bottom - f.top)) * f.y_max);
  const c = s.cells.find((/** @type {any} */ c) => c.spread === s.spreads[i] && c.rotation === s.rotations[j]);
  if (!c) return [];
  /** @type {HoverLine[]} */
  const lines = [
    [null, `spread ${fmt(c.spread)}, rotation ${fmt(c.rotation)}, ρ_diag ${fmt(c.rho_diag)}`],
    [null, `measured ${fmt(c.measured)}${c.censored ? ' (a run missed the target)' : ''}, predicted ${fmt(c.predicted)}, ceiling ${fmt(c.ceiling)}${c.linf_exact ? '' : ' (L∞ bounded, not exact)'}`],
  ];
  c.gd_steps.forEach((/** @type {number} */ g, /** @type {number} */ k) => lines.push([null, `problem ${k + 1}: GD ${g} steps, sign GD ${c.sign_steps[k]}`]));
  return lines;
}

/** The sweep's cells with the read-outs `keys` (a Data table).
 * @param {any} s the sweep
 * @param {string[]} keys
 * @returns {FigureTable} */
const sweepCells = (s, keys) => ({
  head: ['spread', 'rotation', ...keys],
  rows: s.cells.map((/** @type {any} */ c) => [c.spread, c.rotation, ...keys.map((k) => (k === 'measured' && c.censored ? `${fmt(c[k])} (a run missed the target)` : c[k]))]),
});

/** What shapes the sweep's grid: the dimension, the outliers, and what is measured. */
const SWEEP_CONTROLS = ['problem.d', 'problem.outliers', 'sweep.measure'];
/** Where and on what the Hessian is taken. */
const ANATOMY_CONTROLS = ['analysis.step', 'problem.hidden', 'problem.rotate_params'];

/** A heat map of the sweep view (its numbers are in the view's CSV).
 * @param {'measured' | 'predicted' | 'ceiling'} which
 * @param {string} label
 * @returns {FigureDef} */
function sweepMap(which, label) {
  return {
    name: `sweep-${which}`, view: 'sweep', selector: `figure[data-sweep="${which}"]`, needs: 'sweep', label, controls: SWEEP_CONTROLS,
    draw: (c, d, dpr, dark) => wasm.drawSweepMap(c, d.sweep, which, dpr, dark),
    hover: (f, x, y, d) => cellLines(d.sweep, f, x, y),
    dataTable: (d) => sweepCells(d.sweep, [which]),
  };
}

/** A heat map of the Hessian view: axes and colour bar from the core, then its cells as one
 * image scaled into the frame without smoothing, and the layer boundaries over it.
 * @param {HTMLCanvasElement} canvas
 * @param {any} anatomy
 * @param {string} side
 * @param {number} dpr
 * @param {boolean} dark
 * @returns {Frame} */
function paintHeat(canvas, anatomy, side, dpr, dark) {
  const { frame, size, rgba } = wasm.drawHeatMap(canvas, anatomy, side, dpr, dark);
  const cells = document.createElement('canvas');
  cells.width = size;
  cells.height = size;
  /** @type {CanvasRenderingContext2D} */ (cells.getContext('2d')).putImageData(new ImageData(new Uint8ClampedArray(rgba), size, size), 0, 0);
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  const [x, y, w, h] = [frame.left * dpr, frame.top * dpr, (frame.right - frame.left) * dpr, (frame.bottom - frame.top) * dpr];
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(cells, x, y, w, h);
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.lineWidth = dpr;
  ctx.beginPath();
  for (const b of anatomy.blocks.slice(1)) {
    const t = b.start / anatomy.d;
    ctx.moveTo(x + t * w, y);
    ctx.lineTo(x + t * w, y + h);
    ctx.moveTo(x, y + t * h);
    ctx.lineTo(x + w, y + t * h);
  }
  ctx.stroke();
  return frame;
}

/** The heat-map cell under the pointer: its rows, columns, layer blocks and largest entry.
 * @param {any} a the Hessian analysis
 * @param {string} side
 * @param {Frame} f
 * @param {number} x
 * @param {number} y
 * @returns {HoverLine[]} */
function heatLines(a, side, f, x, y) {
  const heat = a[side].heat;
  /** @type {(p: number, lo: number, hi: number) => number} */
  const cell = (p, lo, hi) => Math.min(heat.size - 1, Math.floor(((p - lo) / (hi - lo)) * heat.size));
  const [i, j] = [cell(y, f.top, f.bottom), cell(x, f.left, f.right)];
  const block = (/** @type {number} */ k) => a.blocks.find((/** @type {any} */ b) => k >= b.start && k < b.start + b.len)?.name.split(':')[0];
  const range = (/** @type {number} */ k) => `${heat.starts[k]}–${heat.starts[k + 1] - 1}`;
  const where = a.blocks.length ? ` (${block(heat.starts[i])} × ${block(heat.starts[j])})` : '';
  return [[null, `rows ${range(i)}, columns ${range(j)}${where}`], [null, `largest |H_ij| there: ${fmt(heat.cells[i * heat.size + j])}`]];
}

/** A heat map's cells pooled to at most 10 x 10 blocks, each its largest |H_ij| (a Data table:
 * the CSV has every cell).
 * @param {any} h the heat map
 * @returns {FigureTable} */
function pooledHeat(h) {
  const k = Math.min(10, h.size);
  const edges = Array.from({ length: k + 1 }, (_, i) => Math.round((i * h.size) / k));
  const range = (/** @type {number} */ i) => `${h.starts[edges[i]]}–${h.starts[edges[i + 1]] - 1}`;
  const block = (/** @type {number} */ i, /** @type {number} */ j) => {
    let m = 0;
    for (let r = edges[i]; r < edges[i + 1]; r++) for (let c = edges[j]; c < edges[j + 1]; c++) m = Math.max(m, h.cells[r * h.size + c]);
    return m;
  };
  const idx = [...Array(k).keys()];
  return { head: ['largest |H_ij|: rows \\ columns', ...idx.map(range)], rows: idx.map((i) => [range(i), ...idx.map((j) => block(i, j))]) };
}

/** A heat map of |H_ij|; shown when the dense Hessian was formed. Its CSV has one row per cell:
 * the rows and columns it covers and the largest |H_ij| among them.
 * @param {'hessian' | 'rotated'} side the Hessian, or its same-spectrum rotated twin
 * @param {string} label
 * @returns {FigureDef} */
function heatMap(side, label) {
  return {
    name: `anatomy-${side}`, view: 'hessian', selector: `figure[data-anatomy="${side}"]`, needs: 'anatomy', label, controls: ANATOMY_CONTROLS,
    available: (d) => Boolean(d.anatomy.hessian),
    table: (d) => {
      const { size, starts, cells } = d.anatomy[side].heat;
      const span = (/** @type {number} */ k) => [starts[k], starts[k + 1] - 1];
      return { head: ['row_first', 'row_last', 'column_first', 'column_last', 'max_abs_h'], rows: cells.map((/** @type {number} */ v, /** @type {number} */ k) => [...span(Math.floor(k / size)), ...span(k % size), v]) };
    },
    dataTable: (d) => pooledHeat(d.anatomy[side].heat),
    draw: (c, d, dpr, dark) => paintHeat(c, d.anatomy, side, dpr, dark),
    hover: (f, x, y, d) => heatLines(d.anatomy, side, f, x, y),
  };
}

/** @type {FigureDef[]} In page order; the first is what an embed shows without `plot=`. */
export const FIGURES = [
  trace('f', 'f', 'Suboptimality plot'),
  {
    name: 'batch', view: 'runs', selector: 'figure[data-plot="batch"]', needs: 'result', label: 'Minibatch-loss plot',
    controls: ['run.batch', 'run.eval_points', 'run.steps'],
    available: (d) => d.result.methods.some((/** @type {any} */ m) => m.batch_loss),
    table: (d) => ({ head: ['label', 't', 'minibatch_loss'], rows: d.result.methods.flatMap((/** @type {any} */ m) => (m.batch_loss ? m.batch_loss.map((/** @type {number} */ v, /** @type {number} */ t) => [m.label, t, v]) : [])) }),
    draw: (c, d, dpr, dark) => wasm.drawTraces(c, d.result, 'batch', dpr, dark),
    hover: (f, x, _y, d) => traceLines(d, f, x, (m, t) => m.batch_loss?.[t]),
  },
  trace('grad', 'grad_l2', 'Gradient-norm plot'),
  trace('density', 'density', 'Density plot'),
  {
    name: 'accuracy', view: 'runs', selector: 'figure[data-plot="accuracy"]', needs: 'result', label: 'Test accuracy plot',
    controls: ['problem.hidden', 'problem.rotate_params', 'run.steps'],
    available: (d) => d.result.methods.some((/** @type {any} */ m) => m.curves),
    table: (d) => ({ head: ['label', 't', 'test_accuracy'], rows: d.result.methods.flatMap((/** @type {any} */ m) => (m.curves ? m.curves.t.map((/** @type {number} */ t, /** @type {number} */ k) => [m.label, t, m.curves.test_accuracy[k]]) : [])) }),
    draw: (c, d, dpr, dark) => wasm.drawTraces(c, d.result, 'accuracy', dpr, dark),
    hover: (f, x, _y, d) => traceLines(d, f, x, (m, t) => (m.curves ? nearest(m.curves.t, m.curves.test_accuracy, t) : undefined)),
  },
  {
    name: 'nuclear', view: 'runs', selector: 'figure[data-plot="nuclear"]', needs: 'result', label: 'Nuclear-rank plot',
    controls: ['problem.rotate_sides', 'problem.rotation', 'run.steps'],
    available: (d) => d.result.methods.some((/** @type {any} */ m) => m.nuclear_rank),
    table: (d) => ({ head: ['label', 't', 'nuclear_rank', 'max_nuclear_rank'], rows: d.result.methods.flatMap((/** @type {any} */ m) => (m.nuclear_rank ? m.nuclear_rank.t.map((/** @type {number} */ t, /** @type {number} */ k) => [m.label, t, m.nuclear_rank.value[k], m.nuclear_rank.max]) : [])) }),
    draw: (c, d, dpr, dark) => wasm.drawTraces(c, d.result, 'nuclear', dpr, dark),
    hover: (f, x, _y, d) => traceLines(d, f, x, (m, t) => (m.nuclear_rank ? nearest(m.nuclear_rank.t, m.nuclear_rank.value, t) / m.nuclear_rank.max : undefined)),
  },
  {
    name: 'rare', view: 'runs', selector: 'figure[data-plot="rare"]', needs: 'result', label: 'Rare-class loss plot',
    controls: ['problem.class_zipf', 'run.steps'],
    available: (d) => d.result.methods.some((/** @type {any} */ m) => m.curves?.group_loss),
    table: (d) => ({ head: ['label', 't', 'loss_frequent', 'loss_middle', 'loss_rare'], rows: d.result.methods.flatMap((/** @type {any} */ m) => (m.curves?.group_loss ? m.curves.t.map((/** @type {number} */ t, /** @type {number} */ k) => [m.label, t, ...m.curves.group_loss[k]]) : [])) }),
    draw: (c, d, dpr, dark) => wasm.drawTraces(c, d.result, 'rare', dpr, dark),
    hover: (f, x, _y, d) => traceLines(d, f, x, (m, t) => (m.curves?.group_loss ? nearest(m.curves.t, m.curves.group_loss.map((/** @type {number[]} */ g) => g[2]), t) : undefined)),
  },
  {
    name: 'ratio', view: 'runs', selector: 'figure[data-plot="ratio"]', needs: 'result', label: 'Step-ratio plot',
    controls: ['problem.rotation', 'problem.lambda_max', 'problem.outliers'],
    note: (d) => (d.result.methods.some((/** @type {any} */ m) => m.step_ratios)
      ? null
      : 'Not drawn: R(g_t) needs L₂ and L∞, which a run measures only for theory steps under both norms (GD and sign GD) on a quadratic.'),
    draw: (c, d, dpr, dark) => wasm.drawStepRatios(c, d.result, dpr, dark),
    dataTable: (d) => ({
      head: ['method', 'step', 'guaranteed R(g_t)', 'measured'],
      rows: d.result.methods.flatMap((/** @type {any} */ m) => (m.step_ratios ? m.step_ratios.t.map((/** @type {number} */ t, /** @type {number} */ k) => [m.label, t, m.step_ratios.guaranteed[k], m.step_ratios.actual[k]]) : [])),
    }),
    // Each method's recorded point nearest to the step under the pointer.
    hover: (f, x, _y, d) => {
      const t = xAt(f, x);
      /** @type {HoverLine[]} */
      const lines = [[null, 'sign GD step over GD step from x_t: guaranteed R(g_t), measured']];
      d.result.methods.forEach((/** @type {any} */ m, /** @type {number} */ i) => {
        const r = m.step_ratios;
        if (!r?.t.length) return;
        const k = r.t.reduce((/** @type {number} */ b, /** @type {number} */ s, /** @type {number} */ j) => (Math.abs(s - t) < Math.abs(r.t[b] - t) ? j : b), 0);
        lines.push([color(i), `${m.label} at step ${r.t[k]}: ${fmt(r.guaranteed[k])}, ${fmt(r.actual[k])}`]);
      });
      return lines;
    },
  },
  {
    name: 'bounds', view: 'runs', selector: 'figure[data-plot="bounds"]', needs: 'result', label: 'L∞ bracket plot',
    controls: ['problem.d', 'problem.rotation', 'problem.outliers'],
    note: (d) => (d.report ? null : 'Not measured (see the geometry table).'),
    table: (d) => {
      const r = d.report;
      /** @type {(string | number | null)[][]} */
      const rows = [...r.lower_bounds.map((/** @type {any} */ e) => ['lower', e.method, e.value]), ...r.upper_bounds.map((/** @type {any} */ e) => ['upper', e.method, e.value])];
      if (r.linf_exact != null) rows.push(['exact', 'L_inf', r.linf_exact]);
      if (r.l_sep != null) rows.push(['reference', 'L_sep', r.l_sep]);
      rows.push(['reference', 'd L_2', r.d * r.l2]);
      return { head: ['kind', 'name', 'value'], rows };
    },
    draw: (c, d, dpr, dark) => wasm.drawBounds(c, d.report, dpr, dark),
    hover: (f, x, _y, d) => {
      const v = Math.exp(Math.log(f.x_min) + ((x - f.left) / (f.right - f.left)) * (Math.log(f.x_max) - Math.log(f.x_min)));
      const r = d.report;
      return [[null, `value ${fmt(v)}`], [null, `L∞ ∈ [${fmt(r.linf_lower)}, ${fmt(r.linf_upper)}]${r.linf_exact != null ? `, exact ${fmt(r.linf_exact)}` : ''}`]];
    },
  },
  sweepMap('measured', 'Measured advantage map'),
  sweepMap('predicted', 'Predicted advantage map'),
  sweepMap('ceiling', 'Ceiling map'),
  {
    name: 'sweep-scatter', view: 'sweep', selector: 'figure[data-sweep="scatter"]', needs: 'sweep', label: 'Measured-against-predicted scatter', controls: SWEEP_CONTROLS,
    draw: (c, d, dpr, dark) => wasm.drawSweepScatter(c, d.sweep, dpr, dark),
    dataTable: (d) => sweepCells(d.sweep, ['measured', 'predicted', 'ceiling']),
    hover: (_f, _x, _y, d) => [
      [null, `predicted: Spearman rho ${fmt(d.sweep.predicted.spearman)}, winner named in ${fmt(100 * d.sweep.predicted.winners)}% of cells`],
      [null, `ceiling: Spearman rho ${fmt(d.sweep.ceiling.spearman)}, winner named in ${fmt(100 * d.sweep.ceiling.winners)}% of cells`],
    ],
  },
  heatMap('hessian', 'Hessian heat map'),
  heatMap('rotated', 'Rotated heat map'),
  {
    name: 'anatomy-track', view: 'hessian', selector: 'figure[data-anatomy="track"]', needs: 'anatomy', label: 'Eigenvalue track', controls: ANATOMY_CONTROLS,
    available: (d) => d.anatomy.track.length > 0,
    table: (d) => {
      const ranks = Math.max(...d.anatomy.track.map((/** @type {any} */ p) => p.top.length));
      const head = ['step', ...Array.from({ length: ranks }, (_, k) => `eigenvalue_${k + 1}`)];
      return { head, rows: d.anatomy.track.map((/** @type {any} */ p) => [p.step, ...Array.from({ length: ranks }, (_, k) => p.top[k] ?? null)]) };
    },
    draw: (c, d, dpr, dark) => wasm.drawTrack(c, d.anatomy, dpr, dark),
    hover: (f, x, _y, d) => {
      const t = xAt(f, x);
      const track = d.anatomy.track;
      const p = track.reduce((/** @type {any} */ b, /** @type {any} */ q) => (Math.abs(q.step - t) < Math.abs(b.step - t) ? q : b), track[0]);
      // The ranks' colours skip the palette's green, as the plot does (plot::anatomy::track_series).
      return [[null, `step ${p.step}`], ...p.top.map((/** @type {number} */ v, /** @type {number} */ k) => /** @type {HoverLine} */ ([color(k < 2 ? k : k + 1), `${k + 1}. ${fmt(v)}`]))];
    },
  },
  {
    name: 'anatomy-spectrum', view: 'hessian', selector: 'figure[data-anatomy="spectrum"]', needs: 'anatomy', label: 'Eigenvalue histogram',
    controls: ANATOMY_CONTROLS,
    table: (d) => {
      const h = d.anatomy.histogram;
      const width = (h.hi - h.lo) / h.counts.length;
      return { head: ['bin_lo', 'bin_hi', 'count'], rows: h.counts.map((/** @type {number} */ c, /** @type {number} */ k) => [h.lo + k * width, h.lo + (k + 1) * width, c]) };
    },
    draw: (c, d, dpr, dark) => wasm.drawSpectrum(c, d.anatomy, dpr, dark),
    hover: (f, x, _y, d) => {
      const h = d.anatomy.histogram;
      const width = (h.hi - h.lo) / h.counts.length;
      const k = Math.min(h.counts.length - 1, Math.max(0, Math.floor((xAt(f, x) - h.lo) / (width || 1))));
      return [[null, `eigenvalues in [${fmt(h.lo + k * width)}, ${fmt(h.lo + (k + 1) * width)}): ${h.counts[k]}`]];
    },
  },
  // At the step the 2-D view's animation shows (geometry2d.js), whose step slider a compact embed
  // keeps too; its trajectories are in the view's CSV.
  {
    name: 'geo-2d', view: 'geometry2d', selector: 'figure[data-geo="2d"]', needs: 'result', label: '2-D view',
    controls: ['problem.angle', 'problem.lambda_max'],
    available: (d) => supports2d(d.result),
    draw: (c, d, dpr, dark) => wasm.drawGeometry2d(c, d.result, animation.t, dpr, dark),
  },
];
