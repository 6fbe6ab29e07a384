// @ts-check
// A redraw after a slider change within a frame (issue 12): the figures measure their texts in
// the canvas, not by laying out the page, and a dragged slider writes the link a few times a
// second, not on every move, ending on the last value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, open } from './helpers.mjs';

const site = useSite();

/** Moves the rotation slider to `value` (thousandths of its range), as a drag does.
 * @param {import('playwright-core').Page} page
 * @param {number} value */
const slide = (page, value) => page.evaluate((v) => {
  const s = /** @type {HTMLInputElement} */ (/** @type {HTMLElement} */ (document.querySelector('#ctl-problem-rotation')).parentElement?.querySelector('input[type=range]'));
  s.value = String(v);
  s.dispatchEvent(new Event('input', { bubbles: true }));
}, value);

test('a redraw adds nothing to the page to measure its texts, and its figures keep their text', async () => {
  const { page, problems } = await open(site.browser, site.base, '/');
  // Plotters' own text measure in wasm adds a span to the body per text (a page layout each).
  await page.evaluate(() => {
    /** @type {string[]} */
    const added = [];
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) added.push(n.nodeName);
    }).observe(document.body, { childList: true });
    Object.assign(window, { added });
  });
  const runs = await page.evaluate(() => window.steepest.runs);
  await slide(page, 500);
  await page.waitForFunction((n) => window.steepest.runs > n, runs);
  assert.deepEqual(await page.evaluate(() => /** @type {any} */ (window).added), []);
  // The figures were drawn, with their legends' labels (the canvas measured them).
  const texts = await page.evaluate(() => {
    const c = /** @type {HTMLCanvasElement} */ (document.querySelector('figure[data-plot="f"] canvas'));
    return c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 !== 3 && v < 128);
  });
  assert.ok(texts, 'the suboptimality plot is blank');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a dragged slider writes the link at most every 100 ms and leaves it on the last value', async () => {
  const { page, problems } = await open(site.browser, site.base, '/');
  await page.evaluate(() => {
    /** @type {number[]} */
    const writes = [];
    const replace = history.replaceState.bind(history);
    history.replaceState = (...args) => {
      writes.push(performance.now());
      return replace(...args);
    };
    Object.assign(window, { writes });
  });
  // 40 moves, one per frame, as a drag sends them.
  for (let k = 1; k <= 40; k++) {
    await slide(page, 10 * k);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  }
  await page.waitForFunction(() => /[?&]rotation=0\.4(&|$)/.test(location.search));
  assert.equal(await page.evaluate(() => window.steepest.spec.problem.rotation), 0.4);
  /** @type {number[]} */
  const writes = await page.evaluate(() => /** @type {any} */ (window).writes);
  assert.ok(writes.length >= 2 && writes.length < 40, `${writes.length} writes for 40 moves`);
  const gaps = writes.slice(1).map((t, k) => t - writes[k]);
  assert.ok(gaps.every((g) => g >= 99), `writes ${gaps.map((g) => g.toFixed(0)).join(', ')} ms apart`);
  assert.deepEqual(problems, []);
  await page.close();
});
