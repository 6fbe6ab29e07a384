// The 2-D view: the Rust core draws contours, unit balls, steepest directions and the
// trajectories up to step t; this module animates t and turns a click into a new start point.
import { drawGeometry2d } from './pkg/steepest.js';

const dark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;
const STEPS_PER_SECOND = 12;

export class Geometry2dView {
  /** @param onStart (x0: [number, number]) => void, called when the reader clicks the plot. */
  constructor(root, onStart) {
    this.root = root;
    this.canvas = root.querySelector('canvas');
    this.slider = root.querySelector('#geo-t');
    this.out = root.querySelector('#geo-t-out');
    this.play = root.querySelector('#geo-play');
    this.result = null;
    this.t = 0;
    this.timer = null;
    this.frame = null;
    this.slider.addEventListener('input', () => this.show(Number(this.slider.value)));
    root.querySelector('#geo-step').addEventListener('click', () => this.show(Math.min(this.t + 1, this.last())));
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
    new ResizeObserver(() => this.draw()).observe(this.canvas.parentElement);
  }

  /** True when the result can be shown (a 2-D quadratic with recorded iterates). */
  static supports(result) {
    return Boolean(result && result.problem.d === 2 && result.problem.hessian && result.methods.every((m) => m.x));
  }

  set(result) {
    this.result = result;
    this.slider.max = String(this.last());
    this.show(Math.min(this.t, this.last()));
  }

  last() {
    return this.result ? Math.max(...this.result.methods.map((m) => m.x.length - 1)) : 0;
  }

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
    const wrap = this.canvas.parentElement;
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
