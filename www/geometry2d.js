// @ts-check
// The 2-D view: the Rust core draws contours, unit balls, steepest directions and the
// trajectories up to step t; this module animates t and turns a click into a new start point.
import { drawGeometry2d } from './pkg/steepest.js';
import { dark } from './plots.js';

const STEPS_PER_SECOND = 12;

export class Geometry2dView {
  /**
   * @param {HTMLElement} root the view's panel
   * @param {(x0: [number, number]) => void} onStart called when the reader clicks the plot
   */
  constructor(root, onStart) {
    /** @type {<T extends Element>(selector: string) => T} */
    const find = (selector) => /** @type {any} */ (root.querySelector(selector));
    this.root = root;
    /** @type {HTMLCanvasElement} */
    this.canvas = find('canvas');
    /** @type {HTMLInputElement} */
    this.slider = find('#geo-t');
    /** @type {HTMLOutputElement} */
    this.out = find('#geo-t-out');
    /** @type {HTMLButtonElement} */
    this.play = find('#geo-play');
    /** @type {import('./types').RunResult | null} */
    this.result = null;
    this.t = 0;
    /** @type {number | null} */
    this.timer = null;
    /** @type {import('./types').Frame | null} */
    this.frame = null;
    this.slider.addEventListener('input', () => this.show(Number(this.slider.value)));
    find('#geo-step').addEventListener('click', () => this.show(Math.min(this.t + 1, this.last())));
    this.play.addEventListener('click', () => (this.timer ? this.pause() : this.start()));
    this.canvas.addEventListener('click', (e) => {
      const f = this.frame;
      if (!f) return;
      const r = this.canvas.getBoundingClientRect();
      const x = e.clientX - r.left;
      const y = e.clientY - r.top;
      if (x < f.left || x > f.right || y < f.top || y > f.bottom) return;
      const px = f.x_min + ((x - f.left) / (f.right - f.left)) * (f.x_max - f.x_min);
      const py = f.y_max - ((y - f.top) / (f.bottom - f.top)) * (f.y_max - f.y_min);
      onStart([Number(px.toPrecision(4)), Number(py.toPrecision(4))]);
    });
    new ResizeObserver(() => this.draw()).observe(/** @type {Element} */ (this.canvas.parentElement));
  }

  /** True when the result can be shown (a 2-D quadratic with recorded iterates).
   * @param {import('./types').RunResult | null} result */
  static supports(result) {
    return Boolean(result && result.problem.d === 2 && result.problem.hessian && result.methods.every((/** @type {any} */ m) => m.x));
  }

  /** @param {import('./types').RunResult} result */
  set(result) {
    this.result = result;
    this.slider.max = String(this.last());
    this.show(Math.min(this.t, this.last()));
  }

  last() {
    return this.result ? Math.max(...this.result.methods.map((/** @type {any} */ m) => m.x.length - 1)) : 0;
  }

  /** @param {number} t */
  show(t) {
    this.t = t;
    this.slider.value = String(t);
    this.out.textContent = String(t);
    this.draw();
  }

  start() {
    if (this.t >= this.last()) this.t = 0;
    this.play.textContent = 'Pause';
    let last = performance.now();
    /** @param {number} now */
    const tick = (now) => {
      if (!this.timer) return;
      if (now - last >= 1000 / STEPS_PER_SECOND) {
        last = now;
        if (this.t >= this.last()) return this.pause();
        this.show(this.t + 1);
      }
      this.timer = requestAnimationFrame(tick);
    };
    this.timer = requestAnimationFrame(tick);
  }

  pause() {
    if (this.timer) cancelAnimationFrame(this.timer);
    this.timer = null;
    this.play.textContent = 'Play';
  }

  draw() {
    if (!Geometry2dView.supports(this.result) || this.root.hidden) return;
    const wrap = /** @type {HTMLElement} */ (this.canvas.parentElement);
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(200, wrap.clientWidth);
    const h = Math.max(200, wrap.clientHeight);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.frame = drawGeometry2d(this.canvas, this.result, this.t, dpr, dark());
  }
}
