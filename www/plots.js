// Canvas plots drawn by the Rust core (plotters), sized for the screen's pixel density, with a
// hover read-out computed from the frame each drawing returns. Text reaches the page through
// textContent only.
import { drawTraces, drawBounds, drawSweepMap, drawSweepScatter, drawSpectrum, drawHeatMap, drawTrack, palette } from './pkg/steepest.js';

// Read after the core is initialised (module code runs before init()).
let colors = null;
const color = (i) => (colors ??= palette())[i % colors.length];
const dark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;

function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}

/** A figure's name, as `plot=` in an embed link: f, grad, density, accuracy, bounds,
 * sweep-measured, sweep-predicted, sweep-scatter, anatomy-spectrum, anatomy-track,
 * anatomy-hessian, anatomy-rotated, geo-2d. */
export function figureName(fig) {
  const { plot, sweep, anatomy, geo } = fig.dataset;
  return plot || (sweep && `sweep-${sweep}`) || (anatomy && `anatomy-${anatomy}`) || (geo && `geo-${geo}`) || null;
}

/** The view that draws a figure. */
export function viewOf(name) {
  if (name.startsWith('sweep-')) return 'sweep';
  if (name.startsWith('anatomy-')) return 'hessian';
  if (name.startsWith('geo-')) return 'geometry2d';
  return 'runs';
}

export class Plots {
  constructor(root) {
    this.figures = new Map();
    for (const fig of root.querySelectorAll('figure.plot')) {
      const canvas = fig.querySelector('canvas');
      const hover = fig.querySelector('.hover');
      const entry = { fig, canvas, hover, frame: null };
      const name = figureName(fig);
      if (!name || name.startsWith('geo-')) continue;
      this.figures.set(name, entry);
      canvas.addEventListener('pointermove', (e) => this.hover(name, e));
      canvas.addEventListener('pointerleave', () => { hover.hidden = true; });
    }
    this.result = null;
    this.report = null;
    const ro = new ResizeObserver(() => {
      // Redraw when a canvas changes size (rotation, window resize); coalesced per frame.
      if (this.resizeQueued) return;
      this.resizeQueued = true;
      requestAnimationFrame(() => {
        this.resizeQueued = false;
        this.drawAll();
      });
    });
    for (const { fig } of this.figures.values()) ro.observe(fig.querySelector('.canvas-wrap'));
  }

  set(result, report) {
    this.result = result;
    this.report = report;
    this.drawAll();
  }

  setSweep(sweep) {
    this.sweep = sweep;
    this.drawAll();
  }

  setAnatomy(anatomy) {
    this.anatomy = anatomy;
    this.drawAll();
  }

  drawAll() {
    for (const name of this.figures.keys()) this.draw(name);
  }

  /** Backing store = CSS size x devicePixelRatio, so lines and text are sharp on HiDPI screens. */
  size(entry) {
    const wrap = entry.canvas.parentElement;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(200, Math.floor(wrap.clientWidth));
    const h = Math.max(180, Math.floor(wrap.clientHeight || Math.min(420, w * 0.62)));
    entry.canvas.style.width = `${w}px`;
    entry.canvas.style.height = `${h}px`;
    const bw = Math.round(w * dpr);
    const bh = Math.round(h * dpr);
    if (entry.canvas.width !== bw || entry.canvas.height !== bh) {
      entry.canvas.width = bw;
      entry.canvas.height = bh;
    }
    return dpr;
  }

  draw(name) {
    const entry = this.figures.get(name);
    if (!entry || entry.fig.hidden || entry.fig.offsetParent === null) return;
    const sweepPlot = name.startsWith('sweep-');
    const anatomyPlot = name.startsWith('anatomy-');
    if (anatomyPlot ? !this.anatomy : sweepPlot ? !this.sweep : !this.result) return;
    const dpr = this.size(entry);
    if (name === 'bounds' && !this.report) return this.message(entry, dpr, 'Not measured (see the geometry table).');
    try {
      if (name === 'anatomy-spectrum') entry.frame = drawSpectrum(entry.canvas, this.anatomy, dpr, dark());
      else if (name === 'anatomy-track') entry.frame = drawTrack(entry.canvas, this.anatomy, dpr, dark());
      else if (anatomyPlot) entry.frame = this.drawHeat(entry, name.slice('anatomy-'.length), dpr);
      else if (name === 'sweep-scatter') entry.frame = drawSweepScatter(entry.canvas, this.sweep, dpr, dark());
      else if (sweepPlot) entry.frame = drawSweepMap(entry.canvas, this.sweep, name.slice(6), dpr, dark());
      else if (name === 'bounds') entry.frame = drawBounds(entry.canvas, this.report, dpr, dark());
      else entry.frame = drawTraces(entry.canvas, this.result, name, dpr, dark());
    } catch (e) {
      entry.frame = null;
      const ctx = entry.canvas.getContext('2d');
      ctx.clearRect(0, 0, entry.canvas.width, entry.canvas.height);
      ctx.fillText(`Could not draw: ${e.message}`, 10, 20);
    }
  }

  /** A one-line note in place of a plot. */
  message(entry, dpr, text) {
    entry.frame = null;
    const ctx = entry.canvas.getContext('2d');
    ctx.clearRect(0, 0, entry.canvas.width, entry.canvas.height);
    ctx.fillStyle = dark() ? '#ddd' : '#333';
    ctx.font = `${14 * dpr}px sans-serif`;
    ctx.fillText(text, 12 * dpr, 30 * dpr);
  }

  /** A heat map: axes and colour bar from the core, then its cells as one image scaled into the
   * frame without smoothing, and the layer boundaries over it. */
  drawHeat(entry, side, dpr) {
    const { frame, size, rgba } = drawHeatMap(entry.canvas, this.anatomy, side, dpr, dark());
    const cells = document.createElement('canvas');
    cells.width = size;
    cells.height = size;
    cells.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba), size, size), 0, 0);
    const ctx = entry.canvas.getContext('2d');
    const [x, y, w, h] = [frame.left * dpr, frame.top * dpr, (frame.right - frame.left) * dpr, (frame.bottom - frame.top) * dpr];
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cells, x, y, w, h);
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.lineWidth = dpr;
    ctx.beginPath();
    for (const b of this.anatomy.blocks.slice(1)) {
      const t = b.start / this.anatomy.d;
      ctx.moveTo(x + t * w, y);
      ctx.lineTo(x + t * w, y + h);
      ctx.moveTo(x, y + t * h);
      ctx.lineTo(x + w, y + t * h);
    }
    ctx.stroke();
    return frame;
  }

  hover(name, e) {
    const entry = this.figures.get(name);
    const f = entry.frame;
    if (!f) return;
    const r = entry.canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    if (x < f.left || x > f.right || y < f.top || y > f.bottom) {
      entry.hover.hidden = true;
      return;
    }
    let lines;
    if (name === 'bounds') lines = this.boundsLines(f, x);
    else if (name === 'sweep-scatter') lines = [[null, `Spearman rho = ${fmt(this.sweep.spearman)}`]];
    else if (name.startsWith('sweep-')) lines = this.cellLines(f, x, y);
    else if (name === 'anatomy-spectrum') lines = this.spectrumLines(f, x);
    else if (name === 'anatomy-track') lines = this.trackLines(f, x);
    else if (name.startsWith('anatomy-')) lines = this.heatLines(name.slice('anatomy-'.length), f, x, y);
    else lines = this.traceLines(name, f, x);
    entry.hover.replaceChildren(...lines.map(([color, text]) => {
      const row = document.createElement('div');
      if (color) {
        const sw = document.createElement('span');
        sw.className = 'swatch';
        sw.style.background = color;
        row.append(sw);
      }
      row.append(document.createTextNode(text));
      return row;
    }));
    entry.hover.hidden = false;
    const flip = x > (f.left + f.right) / 2;
    entry.hover.style.left = flip ? '' : `${x + 14}px`;
    entry.hover.style.right = flip ? `${r.width - x + 14}px` : '';
    entry.hover.style.top = `${Math.max(0, y - 10)}px`;
  }

  traceLines(name, f, x) {
    const t = Math.round(f.x_min + ((x - f.left) / (f.right - f.left)) * (f.x_max - f.x_min));
    const lines = [[null, `step ${t}`]];
    this.result.methods.forEach((m, i) => {
      let v;
      if (name === 'accuracy') {
        // The curve point nearest to t.
        const c = m.curves;
        const k = c ? c.t.reduce((b, s, j) => (Math.abs(s - t) < Math.abs(c.t[b] - t) ? j : b), 0) : -1;
        v = k >= 0 ? c.test_accuracy[k] : undefined;
      } else {
        v = m[{ f: 'f', grad: 'grad_l2', density: 'density' }[name]][t];
      }
      lines.push([color(i), `${m.label}: ${v === undefined ? '(stopped)' : fmt(v)}`]);
    });
    return lines;
  }

  cellLines(f, x, y) {
    const i = Math.floor(((x - f.left) / (f.right - f.left)) * f.x_max);
    const j = Math.floor(((f.bottom - y) / (f.bottom - f.top)) * f.y_max);
    const s = this.sweep;
    const c = s.cells.find((c) => c.spread === s.spreads[i] && c.rotation === s.rotations[j]);
    if (!c) return [];
    const lines = [
      [null, `spread ${fmt(c.spread)}, rotation ${fmt(c.rotation)}, ρ_diag ${fmt(c.rho_diag)}`],
      [null, `measured ${fmt(c.measured)}${c.censored ? ' (a run missed the target)' : ''}, predicted ${fmt(c.predicted)}`],
    ];
    c.gd_steps.forEach((g, k) => lines.push([null, `problem ${k + 1}: GD ${g} steps, sign GD ${c.sign_steps[k]}`]));
    return lines;
  }

  spectrumLines(f, x) {
    const h = this.anatomy.histogram;
    const v = f.x_min + ((x - f.left) / (f.right - f.left)) * (f.x_max - f.x_min);
    const width = (h.hi - h.lo) / h.counts.length;
    const k = Math.min(h.counts.length - 1, Math.max(0, Math.floor((v - h.lo) / (width || 1))));
    return [[null, `eigenvalues in [${fmt(h.lo + k * width)}, ${fmt(h.lo + (k + 1) * width)}): ${h.counts[k]}`]];
  }

  trackLines(f, x) {
    const t = f.x_min + ((x - f.left) / (f.right - f.left)) * (f.x_max - f.x_min);
    const track = this.anatomy.track;
    const p = track.reduce((b, q) => (Math.abs(q.step - t) < Math.abs(b.step - t) ? q : b), track[0]);
    return [[null, `step ${p.step}`], ...p.top.map((v, k) => [color(k), `${k + 1}. ${fmt(v)}`])];
  }

  heatLines(side, f, x, y) {
    const a = this.anatomy;
    const heat = a[side].heat;
    const cell = (p, lo, hi) => Math.min(heat.size - 1, Math.floor(((p - lo) / (hi - lo)) * heat.size));
    const [i, j] = [cell(y, f.top, f.bottom), cell(x, f.left, f.right)];
    const block = (k) => a.blocks.find((b) => k >= b.start && k < b.start + b.len)?.name.split(':')[0];
    const range = (k) => `${heat.starts[k]}–${heat.starts[k + 1] - 1}`;
    const where = a.blocks.length ? ` (${block(heat.starts[i])} × ${block(heat.starts[j])})` : '';
    return [[null, `rows ${range(i)}, columns ${range(j)}${where}`], [null, `largest |H_ij| there: ${fmt(heat.cells[i * heat.size + j])}`]];
  }

  boundsLines(f, x) {
    const v = Math.exp(Math.log(f.x_min) + ((x - f.left) / (f.right - f.left)) * (Math.log(f.x_max) - Math.log(f.x_min)));
    const r = this.report;
    const lines = [[null, `value ${fmt(v)}`]];
    lines.push([null, `L∞ ∈ [${fmt(r.linf_lower)}, ${fmt(r.linf_upper)}]${r.linf_exact != null ? `, exact ${fmt(r.linf_exact)}` : ''}`]);
    return lines;
  }

  /** A PNG of one plot. */
  png(name) {
    const entry = this.figures.get(name);
    return new Promise((resolve) => entry.canvas.toBlob(resolve, 'image/png'));
  }
}
