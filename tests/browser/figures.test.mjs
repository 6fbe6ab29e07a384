// @ts-check
// Every figure of every view keeps its text, at desktop and phone sizes: each text the core
// draws on a figure's canvas is recorded with its box as the canvas measures it (fillText and
// measureText under the context's transform, recorded by a script this test adds to the page,
// so the page itself carries nothing for it), and no text may be cut at the canvas edge or drawn
// over another. src/plot/texts.rs holds the same rule natively, with plotters' estimates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite } from './helpers.mjs';

const site = useSite();

/** Runs in the page before its own scripts: every canvas keeps the boxes of the texts drawn on
 * it since it was last filled whole (a figure's drawing starts with its background), in backing
 * pixels as the canvas measures them. */
function recordTexts() {
  const proto = CanvasRenderingContext2D.prototype;
  const { fillRect, fillText } = proto;
  /** @typedef {{ text: string, box: number[] }} Drawn */
  proto.fillRect = function (x, y, w, h) {
    const c = /** @type {HTMLCanvasElement & { texts?: Drawn[] }} */ (this.canvas);
    if (x <= 0 && y <= 0 && x + w >= c.width - 1 && y + h >= c.height - 1) c.texts = [];
    return fillRect.call(this, x, y, w, h);
  };
  proto.fillText = function (text, x, y, maxWidth) {
    const c = /** @type {HTMLCanvasElement & { texts?: Drawn[] }} */ (this.canvas);
    if (text.trim()) {
      const m = this.measureText(text);
      const t = this.getTransform();
      const corners = [[x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent], [x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent]]
        .flatMap(([u, v], k, [[u0, v0], [u1, v1]]) => (k ? [[u1, v0], [u1, v1]] : [[u0, v0], [u0, v1]]))
        .map(([u, v]) => [t.a * u + t.c * v + t.e, t.b * u + t.d * v + t.f]);
      const xs = corners.map((p) => p[0]);
      const ys = corners.map((p) => p[1]);
      (c.texts ??= []).push({ text, box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] });
    }
    return maxWidth === undefined ? fillText.call(this, text, x, y) : fillText.call(this, text, x, y, maxWidth);
  };
}

/** What is wrong with the texts of `canvas`: each cut by an edge and each pair drawn over each
 * other, by more than a device pixel either way, in CSS pixels. Runs in the page.
 * @param {HTMLCanvasElement & { texts?: { text: string, box: number[] }[] }} canvas */
function textProblems(canvas) {
  const texts = canvas.texts ?? [];
  const dpr = canvas.width / canvas.clientWidth;
  const tol = Math.max(dpr, 1);
  const css = (/** @type {number} */ v) => Math.round(v / dpr);
  const out = [];
  for (const { text, box: [x0, y0, x1, y1] } of texts) {
    const cuts = /** @type {[string, number][]} */ ([['left', -x0], ['top', -y0], ['right', x1 - canvas.width], ['bottom', y1 - canvas.height]]);
    for (const [edge, by] of cuts) if (by > tol) out.push(`"${text}" is cut at the ${edge} edge by ${css(by)} px`);
  }
  texts.forEach((a, i) => texts.slice(i + 1).forEach((b) => {
    const w = Math.min(a.box[2], b.box[2]) - Math.max(a.box[0], b.box[0]);
    const h = Math.min(a.box[3], b.box[3]) - Math.max(a.box[1], b.box[1]);
    if (w > tol && h > tol) out.push(`"${a.text}" overlaps "${b.text}" (${css(w)} x ${css(h)} px)`);
  }));
  return { drawn: texts.length > 0, problems: out };
}

/** Each view with data for every one of its figures, and what says its data are shown. */
const VIEWS = [
  { view: 'runs', query: '?d=12&steps=300', ready: 'window.steepest.refined > 0 || window.steepest.report?.linf_exact != null' },
  { view: 'runs', query: '?problem=network&hidden=4&steps=30&batch=32&m0=adam&m1=sign_gd', ready: 'window.steepest.runs > 0' },
  { view: 'sweep', query: '?view=sweep&d=12&outliers=2&steps=2000&sweep.spread_points=6&sweep.rotation_points=3&sweep.problems=1&sweep.spread_max=5', ready: 'window.steepest.sweeps > 0' },
  { view: 'geometry2d', query: '?preset=geometry-2d', ready: 'window.steepest.runs > 0' },
  { view: 'hessian', query: '?view=hessian&problem=network&hidden=4&steps=20&batch=32&m0=adam&analysis.step=20&analysis.track=4', ready: 'window.steepest.anatomies > 0' },
];
const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 },
  { name: 'phone', viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 },
];

for (const size of SIZES) {
  test(`no figure cuts or overlaps its text on a ${size.name} (${size.viewport.width} x ${size.viewport.height})`, async () => {
    const page = await site.browser.newPage({ viewport: size.viewport, deviceScaleFactor: size.deviceScaleFactor });
    await page.addInitScript(recordTexts);
    /** @type {string[]} */
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    /** @type {string[]} */
    const found = [];
    for (const { view, query, ready } of VIEWS) {
      await page.goto(site.base + '/' + query);
      await page.waitForFunction(() => window.steepest?.ready, null, { timeout: 60000 });
      await page.waitForFunction(ready, null, { timeout: 60000 });
      // Every figure of the view that shows data has been drawn; each is checked.
      const shown = await page.evaluate(async (id) => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        /** @type {{ FIGURES: import('../../www/types').FigureDef[] }} */
        const figures = await import(/** @type {string} */ ('/www/figures.js'));
        return figures.FIGURES.filter((f) => f.view === id && f.draw).filter((f) => {
          const fig = /** @type {HTMLElement} */ (document.querySelector(f.selector));
          return !fig.hidden && fig.offsetParent !== null && !f.note?.(window.steepest);
        }).map((f) => ({ name: f.name, selector: f.selector }));
      }, view);
      assert.ok(shown.length > 0, `${query}: no figure shown`);
      for (const { name, selector } of shown) {
        const { drawn, problems } = await page.locator(`${selector} canvas`).evaluate(textProblems);
        assert.ok(drawn, `${name} (${query}) drew no text`);
        for (const p of problems) found.push(`${name} (${query}): ${p}`);
      }
    }
    assert.deepEqual(found, []);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('the sweep embeds keep their text at 320, 640 and 960 px', async () => {
  const query = 'd=12&outliers=2&steps=2000&sweep.spread_points=6&sweep.rotation_points=3&sweep.problems=1&sweep.spread_max=5';
  /** @type {string[]} */
  const found = [];
  for (const width of [320, 640, 960]) {
    const page = await site.browser.newPage({ viewport: { width, height: 800 }, deviceScaleFactor: 2 });
    await page.addInitScript(recordTexts);
    for (const plot of ['sweep-measured', 'sweep-predicted', 'sweep-ceiling', 'sweep-scatter']) {
      await page.goto(`${site.base}/?embed=1&plot=${plot}&${query}`);
      await page.waitForFunction(() => window.steepest?.ready && window.steepest.sweeps > 0, null, { timeout: 60000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const { drawn, problems } = await page.locator('figure.plot:visible canvas').evaluate(textProblems);
      assert.ok(drawn, `${plot} at ${width} px drew no text`);
      for (const p of problems) found.push(`${plot} at ${width} px: ${p}`);
    }
    await page.close();
  }
  assert.deepEqual(found, []);
});
