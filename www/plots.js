// @ts-check
// The canvases of the figures registry (figures.js): sized for the screen's pixel density,
// redrawn when their data or size changes, with a read-out computed from the frame each drawing
// returns: under the mouse, where a finger taps, or at a point the arrow keys move on a focused
// canvas. A "Data" toggle shows each figure's numbers as a table (its dataTable or table in
// figures.js). Text reaches the page through textContent only.
import { fmt, row } from './tables.js';

import { textShown } from './embed-snippet.js';
import { disclosure } from './disclosure.js';

/** @typedef {import('./types').FigureDef} FigureDef */
/** @typedef {import('./types').Frame} Frame */
/** @typedef {import('./types').PageData} PageData */
/** @typedef {{ def: FigureDef, fig: HTMLElement, canvas: HTMLCanvasElement, hover: HTMLElement, frame: Frame | null, at: { x: number, y: number } | null, table: HTMLElement | null }} Entry */

/** A Data table shows at most about this many rows of a figure's numbers. */
const ROWS = 50;

/** Arrow keys move the keyboard read-out by a hundredth of the plot (a tenth with Shift). */
const KEYS = /** @type {Record<string, [number, number]>} */ ({ ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] });

/** Whether to draw in dark colours: an embed's `theme` (set on the root element), else the
 * reader's system setting. */
export const dark = () => {
  const theme = document.documentElement.dataset.theme;
  return theme ? theme === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
};

export class Plots {
  /**
   * @param {FigureDef[]} figures the figures to draw (those with a `draw`)
   * @param {boolean} fixed whether which figures show is fixed (an embed), not decided by the data
   */
  constructor(figures, fixed) {
    this.fixed = fixed;
    /** @type {PageData} */
    this.data = { result: null, report: null, sweep: null, anatomy: null };
    /** @type {Map<string, Entry>} */
    this.figures = new Map();
    for (const def of figures) {
      const fig = /** @type {HTMLElement} */ (document.querySelector(def.selector));
      if (!def.draw) continue;
      const canvas = /** @type {HTMLCanvasElement} */ (fig.querySelector('canvas'));
      const hover = /** @type {HTMLElement} */ (fig.querySelector('.hover'));
      /** @type {Entry} */
      const entry = { def, fig, canvas, hover, frame: null, at: null, table: null };
      this.figures.set(def.name, entry);
      /** @param {PointerEvent} e */
      const point = (e) => {
        const r = canvas.getBoundingClientRect();
        this.readOut(entry, e.clientX - r.left, e.clientY - r.top);
      };
      canvas.addEventListener('pointermove', point);
      // A tap on a touch screen reads out where it lands, and the read-out stays.
      canvas.addEventListener('pointerdown', point);
      canvas.addEventListener('pointerleave', (e) => { if (e.pointerType === 'mouse') hover.hidden = true; });
      if (def.hover) {
        canvas.tabIndex = 0;
        canvas.setAttribute('aria-keyshortcuts', 'ArrowLeft ArrowRight ArrowUp ArrowDown');
        hover.setAttribute('aria-live', 'polite');
        canvas.addEventListener('keydown', (e) => this.key(entry, e));
        canvas.addEventListener('blur', () => { hover.hidden = true; });
      }
      if (def.dataTable || def.table) this.dataToggle(entry);
    }
    this.resizeQueued = false;
    /** Called after each `set`, with all the data. @type {((data: PageData) => void)[]} */
    this.listeners = [];
    const ro = new ResizeObserver(() => {
      // Redraw when a canvas changes size (rotation, window resize); coalesced per frame.
      if (this.resizeQueued) return;
      this.resizeQueued = true;
      requestAnimationFrame(() => {
        this.resizeQueued = false;
        this.drawAll();
      });
    });
    for (const { fig } of this.figures.values()) ro.observe(/** @type {Element} */ (fig.querySelector('.canvas-wrap')));
  }

  /** Takes new data (any of result, report, sweep, anatomy), shows the figures it has
   * something for, and redraws.
   * @param {Partial<PageData>} data */
  set(data) {
    Object.assign(this.data, data);
    if (!this.fixed) {
      for (const { def, fig } of this.figures.values()) {
        if (def.available && def.needs in data && this.data[def.needs]) fig.hidden = !def.available(this.data);
      }
    }
    this.drawAll();
    for (const entry of this.figures.values()) if (entry.table && !entry.table.hidden) this.fillTable(entry);
    for (const listen of this.listeners) listen(this.data);
  }

  /** A "Data" button in the figure's caption that shows its numbers as a table below it.
   * @param {Entry} entry */
  dataToggle(entry) {
    const box = document.createElement('div');
    box.className = 'figure-data table-scroll';
    box.id = `data-${entry.def.name}`;
    entry.table = box;
    entry.fig.append(box);
    disclosure(/** @type {HTMLElement} */ (entry.fig.querySelector('figcaption')), 'Data', 'data-toggle', box, { opened: () => this.fillTable(entry) });
  }

  /** @param {Entry} entry */
  fillTable(entry) {
    const box = /** @type {HTMLElement} */ (entry.table);
    if (!this.data[entry.def.needs]) {
      box.textContent = 'No data yet.';
      return;
    }
    const def = entry.def;
    let data;
    try {
      data = /** @type {NonNullable<FigureDef['table']>} */ (def.dataTable ?? def.table)(this.data);
    } catch {
      box.textContent = 'No data for this figure.';
      return;
    }
    // About ROWS evenly spaced rows, the last included.
    const n = data.rows.length;
    const every = Math.max(1, Math.ceil((n - 1) / ROWS));
    const rows = data.rows.filter((_, k) => k % every === 0 || k === n - 1);
    const table = document.createElement('table');
    const caption = document.createElement('caption');
    caption.textContent = `Data: ${entry.canvas.getAttribute('aria-label') ?? entry.def.name}`;
    const head = document.createElement('thead');
    const tr = document.createElement('tr');
    for (const h of data.head) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      tr.append(th);
    }
    head.append(tr);
    const body = document.createElement('tbody');
    body.append(...rows.map((cells) => row(cells.map((v) => (typeof v === 'number' ? fmt(v) : v === null ? '—' : String(v))), true)));
    table.append(caption, head, body);
    box.replaceChildren(table);
  }

  drawAll() {
    for (const name of this.figures.keys()) this.draw(name);
  }

  /** Backing store = CSS size x devicePixelRatio, so lines and text are sharp on HiDPI screens.
   * @param {Entry} entry */
  size(entry) {
    const wrap = /** @type {HTMLElement} */ (entry.canvas.parentElement);
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

  /** @param {string} name */
  draw(name) {
    const entry = this.figures.get(name);
    if (!entry || entry.fig.hidden || entry.fig.offsetParent === null || !this.data[entry.def.needs]) return;
    const { def, canvas } = entry;
    const dpr = this.size(entry);
    const note = def.note?.(this.data);
    if (note) return this.message(entry, dpr, note);
    try {
      entry.frame = /** @type {NonNullable<FigureDef['draw']>} */ (def.draw)(canvas, this.data, dpr, dark());
    } catch (e) {
      entry.frame = null;
      const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.fillText(`Could not draw: ${/** @type {Error} */ (e).message}`, 10, 20);
    }
  }

  /** A note in place of a plot, broken into lines that fit the canvas.
   * @param {Entry} entry
   * @param {number} dpr
   * @param {string} text */
  message(entry, dpr, text) {
    entry.frame = null;
    const ctx = /** @type {CanvasRenderingContext2D} */ (entry.canvas.getContext('2d'));
    ctx.clearRect(0, 0, entry.canvas.width, entry.canvas.height);
    ctx.fillStyle = dark() ? '#ddd' : '#333';
    ctx.font = `${14 * dpr}px sans-serif`;
    const width = entry.canvas.width - 24 * dpr;
    let [line, y] = ['', 30 * dpr];
    for (const word of text.split(' ')) {
      if (line && ctx.measureText(`${line} ${word}`).width > width) {
        ctx.fillText(line, 12 * dpr, y);
        [line, y] = [word, y + 20 * dpr];
      } else line = line ? `${line} ${word}` : word;
    }
    ctx.fillText(line, 12 * dpr, y);
  }

  /** Arrow keys move the read-out point of a focused figure; Escape hides it.
   * @param {Entry} entry
   * @param {KeyboardEvent} e */
  key(entry, e) {
    const f = entry.frame;
    if (!f) return;
    if (e.key === 'Escape') {
      entry.hover.hidden = true;
      return;
    }
    const move = KEYS[e.key];
    if (!move) return;
    e.preventDefault();
    const at = entry.at ?? { x: (f.left + f.right) / 2, y: (f.top + f.bottom) / 2 };
    const k = e.shiftKey ? 0.1 : 0.01;
    const x = Math.min(f.right, Math.max(f.left, at.x + move[0] * k * (f.right - f.left)));
    const y = Math.min(f.bottom, Math.max(f.top, at.y + move[1] * k * (f.bottom - f.top)));
    this.readOut(entry, x, y);
  }

  /** Shows the read-out at CSS pixel (x, y) of the canvas.
   * @param {Entry} entry
   * @param {number} x
   * @param {number} y */
  readOut(entry, x, y) {
    const f = entry.frame;
    if (!f || !entry.def.hover) return;
    const r = entry.canvas.getBoundingClientRect();
    entry.at = { x, y };
    if (x < f.left || x > f.right || y < f.top || y > f.bottom) {
      entry.hover.hidden = true;
      return;
    }
    const lines = entry.def.hover(f, x, y, this.data);
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

  /** The frame of a figure's last drawing (null before one, or when it shows a note).
   * @param {string} name */
  frame(name) {
    return this.figures.get(name)?.frame ?? null;
  }

  /** Whether a figure shows a drawing of its data now (not hidden, not a note).
   * @param {string} name */
  shown(name) {
    const entry = this.figures.get(name);
    return Boolean(entry && !entry.fig.hidden && entry.fig.offsetParent !== null && this.data[entry.def.needs] && !entry.def.note?.(this.data));
  }

  /** A PNG of a figure at twice its size on screen, light, under its title and `caption` (a
   * line of settings); both shrink to fit the width rather than lose text.
   * @param {string} name
   * @param {string} caption
   * @returns {Promise<Blob>} */
  png(name, caption) {
    const { def, fig, canvas } = /** @type {Entry} */ (this.figures.get(name));
    const scale = 2;
    const plot = document.createElement('canvas');
    plot.width = Math.round(canvas.clientWidth * scale);
    plot.height = Math.round(canvas.clientHeight * scale);
    /** @type {NonNullable<FigureDef['draw']>} */ (def.draw)(plot, this.data, scale, false);
    const head = 48 * scale;
    const out = document.createElement('canvas');
    out.width = plot.width;
    out.height = plot.height + head;
    const ctx = /** @type {CanvasRenderingContext2D} */ (out.getContext('2d'));
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = '#222';
    ctx.textBaseline = 'alphabetic';
    const title = textShown(fig.querySelector('figcaption')) || def.label;
    /** One line at `y`, its font shrunk until it fits (and condensed below 8 px).
     * @param {string} text @param {string} weight @param {number} size @param {number} y */
    const line = (text, weight, size, y) => {
      const room = out.width - 24 * scale;
      let px = size * scale;
      do ctx.font = `${weight} ${px}px sans-serif`;
      while (ctx.measureText(text).width > room && (px -= scale / 2) > 8 * scale);
      ctx.fillText(text, 12 * scale, y * scale, room);
    };
    line(title, 'bold', 15, 20);
    line(caption, 'normal', 12, 39);
    ctx.drawImage(plot, 0, head);
    return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error(`${name}: no image`))), 'image/png'));
  }
}
