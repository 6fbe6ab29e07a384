// @ts-check
// The 2-D view: the Rust core draws contours, unit balls, steepest directions and the
// trajectories up to step t (the figure `geo-2d` of figures.js, drawn by plots.js); this module
// animates t and turns a click into a new start point.

const STEPS_PER_SECOND = 12;

/** The step the 2-D figure shows. */
export const animation = { t: 0 };

/** True when a run result can be shown (a 2-D quadratic with recorded iterates).
 * @param {import('./types').RunResult | null} result */
export function supports2d(result) {
  return Boolean(result && result.problem.d === 2 && result.problem.hessian && result.methods.every((/** @type {any} */ m) => m.x));
}

export class Geometry2dView {
  /**
   * @param {HTMLElement} root the view's panel
   * @param {import('./plots.js').Plots} plots draws the figure
   * @param {(x0: [number, number]) => void} onStart called when the reader clicks the plot
   */
  constructor(root, plots, onStart) {
    /** @type {<T extends Element>(selector: string) => T} */
    const find = (selector) => /** @type {any} */ (root.querySelector(selector));
    this.plots = plots;
    /** @type {HTMLInputElement} */
    this.slider = find('#geo-t');
    /** @type {HTMLOutputElement} */
    this.out = find('#geo-t-out');
    /** @type {HTMLButtonElement} */
    this.play = find('#geo-play');
    /** @type {import('./types').RunResult | null} */
    this.result = null;
    /** @type {number | null} */
    this.timer = null;
    this.slider.addEventListener('input', () => this.show(Number(this.slider.value)));
    find('#geo-step').addEventListener('click', () => this.show(Math.min(animation.t + 1, this.last())));
    this.play.addEventListener('click', () => (this.timer ? this.pause() : this.start()));
    /** @type {HTMLCanvasElement} */
    const canvas = find('canvas');
    canvas.addEventListener('click', (e) => {
      const f = plots.frame('geo-2d');
      if (!f) return;
      const r = canvas.getBoundingClientRect();
      const x = e.clientX - r.left;
      const y = e.clientY - r.top;
      if (x < f.left || x > f.right || y < f.top || y > f.bottom) return;
      const px = f.x_min + ((x - f.left) / (f.right - f.left)) * (f.x_max - f.x_min);
      const py = f.y_max - ((y - f.top) / (f.bottom - f.top)) * (f.y_max - f.y_min);
      onStart([Number(px.toPrecision(4)), Number(py.toPrecision(4))]);
    });
  }

  /** @param {import('./types').RunResult} result */
  set(result) {
    this.result = result;
    this.slider.max = String(this.last());
    this.show(Math.min(animation.t, this.last()));
  }

  last() {
    return this.result ? Math.max(...this.result.methods.map((/** @type {any} */ m) => m.x.length - 1)) : 0;
  }

  /** @param {number} t */
  show(t) {
    animation.t = t;
    this.slider.value = String(t);
    this.out.textContent = String(t);
    this.plots.draw('geo-2d');
  }

  start() {
    if (animation.t >= this.last()) animation.t = 0;
    this.play.textContent = 'Pause';
    let last = performance.now();
    /** @param {number} now */
    const tick = (now) => {
      if (!this.timer) return;
      if (now - last >= 1000 / STEPS_PER_SECOND) {
        last = now;
        if (animation.t >= this.last()) return this.pause();
        this.show(animation.t + 1);
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
}
