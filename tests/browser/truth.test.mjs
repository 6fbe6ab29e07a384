// @ts-check
// The page tells the truth (issue 11): the per-step picture of sign GD against GD in the Runs
// view, and a preset's story marked modified once its settings are edited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useSite, open, inkFraction, root } from './helpers.mjs';

const site = useSite();

/** The release CLI's stdout for `args`. @param {string[]} args */
const cli = (args) => execFileSync(join(root, 'target/release/steepest'), args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();

const RATIO = 'figure[data-plot="ratio"]';

test('the step-ratio figure draws R(g_t) and the measured ratio at phone width, reads them out, and exports them as the CLI does', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?preset=outliers-rotated', { viewport: { width: 390, height: 844 } });
  await page.locator(RATIO).scrollIntoViewIfNeeded();
  const ink = await inkFraction(page, `${RATIO} canvas`);
  assert.ok(ink > 0.03, `ratio plot looks blank (${ink})`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the page overflows at 390 px');
  const box = /** @type {{ width: number }} */ (await page.locator(`${RATIO} canvas`).boundingBox());
  assert.ok(box.width <= 390 && box.width >= 300, `canvas ${box.width} px wide`);
  await page.screenshot({ path: '/tmp/truth/ratio-390.png', clip: /** @type {any} */ (await page.locator(RATIO).boundingBox()) });
  // Both methods carry the picture; R(g_t) is the density times the ceiling, from the same trace.
  const { result } = await page.evaluate(() => ({ result: window.steepest.result }));
  const ceiling = result.comparison.ceiling;
  for (const m of result.methods) {
    const r = m.step_ratios;
    assert.ok(r && r.t.length > 5, m.label);
    r.t.forEach((/** @type {number} */ t, /** @type {number} */ k) => {
      assert.ok(Math.abs(r.guaranteed[k] - m.density[t] * ceiling) <= 1e-9 * r.guaranteed[k], `${m.label} t=${t}`);
    });
  }
  // The hover names each method's nearest recorded point with both numbers.
  await page.locator(`${RATIO} canvas`).hover({ position: { x: 120, y: 80 } });
  const hover = await page.locator(`${RATIO} .hover`).textContent() ?? '';
  assert.match(hover, /guaranteed R\(g_t\), measured.*GD \(1\/L\) at step \d+: [\d.e-]+, [\d.e-]+.*sign GD .* at step \d+: /s);
  // The CSV export carries them, exactly as the CLI writes them.
  const csv = await page.evaluate(async (core) => (await import(core)).wasm.toCsv(window.steepest.result), '/www/core.js');
  assert.match(csv.split('\n')[0], /,step,ratio_guaranteed,ratio_measured$/);
  assert.equal(csv.trim(), cli(['run', '--preset', 'outliers-rotated', '--format', 'csv']).trim());
  assert.deepEqual(problems, []);
  await page.close();
});

test('without L₂ and L∞ the step-ratio figure says why instead of drawing', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?d=8&m0=gd&m1=adam');
  assert.equal(await page.evaluate(() => window.steepest.result.methods.some((/** @type {any} */ m) => m.step_ratios)), false);
  assert.equal(await page.locator(RATIO).isVisible(), true);
  const ink = await inkFraction(page, `${RATIO} canvas`);
  assert.ok(ink > 0.002 && ink < 0.05, `a note is a few lines of text (${ink})`);
  await page.locator(RATIO).screenshot({ path: '/tmp/truth/ratio-note.png' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('editing a preset marks its story modified, re-checks its claims, drops preset= from the URL, and choosing the preset again restores it', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?preset=outliers-diagonal');
  await page.waitForFunction(() => document.querySelectorAll('#story .story-claims li.holds').length === 3);
  assert.equal(await page.locator('#story .story-modified').isVisible(), false);
  const original = await page.evaluate(() => JSON.stringify(window.steepest.result));
  // Rotate the Hessian: GD now needs fewer steps than sign GD, and the story's claims say so.
  const runs = await page.evaluate(() => window.steepest.runs);
  await page.fill('#ctl-problem-rotation', '1');
  await page.press('#ctl-problem-rotation', 'Tab');
  await page.waitForFunction((n) => window.steepest.runs > n, runs);
  assert.equal(await page.locator('#story').isVisible(), true);
  assert.match(await page.locator('#story .story-modified').textContent() ?? '', /modified — claims re-checked on your settings/);
  assert.equal(await page.locator('#story .story-modified').isVisible(), true);
  assert.equal(await page.inputValue('#preset'), '');
  const url = page.url();
  assert.doesNotMatch(url, /preset=/);
  assert.match(url, /[?&]rotation=1(&|$)/);
  // The claims are decided on the new result, by the core: checked here against its steps.
  const result = await page.evaluate(() => window.steepest.result);
  const [gd, sign] = result.methods;
  assert.ok(gd.status === 'target' && sign.status === 'target' && gd.stopped_at < sign.stopped_at, `${gd.stopped_at} vs ${sign.stopped_at}`);
  await page.waitForFunction(() => /✗ sign GD/.test(document.querySelector('#story .story-claims')?.textContent ?? ''));
  const claims = await page.locator('#story .story-claims').textContent() ?? '';
  assert.ok(claims.includes(`✗ sign GD (||g||*/L) reaches the target in fewer steps than GD (1/L) (${sign.stopped_at} steps against ${gd.stopped_at} steps)`), claims);
  assert.ok(claims.includes(`the predicted advantage of sign GD is above 1 (`), claims);
  assert.equal(result.comparison.predicted > 1, /✓ the predicted advantage/.test(claims), claims);
  // The URL alone, reloaded, gives the same numbers and no story.
  const { page: again } = await open(site.browser, site.base, new URL(url).pathname + new URL(url).search);
  assert.equal(await again.evaluate(() => JSON.stringify(window.steepest.result)), JSON.stringify(result));
  assert.equal(await again.locator('#story').isVisible(), false);
  await again.close();
  // Choosing the preset again restores its settings, its URL and its unmodified story.
  const before = await page.evaluate(() => window.steepest.runs);
  await page.selectOption('#preset', 'outliers-diagonal');
  await page.waitForFunction((n) => window.steepest.runs > n, before);
  assert.match(page.url(), /preset=outliers-diagonal/);
  assert.equal(await page.locator('#story .story-modified').isVisible(), false);
  assert.equal(await page.evaluate(() => JSON.stringify(window.steepest.result)), original);
  await page.waitForFunction(() => document.querySelectorAll('#story .story-claims li.holds').length === 3);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an edit on a preset of another view keeps that view when preset= leaves the URL', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?preset=geometry-2d');
  assert.equal(await page.locator('#geometry2d-view').isVisible(), true);
  const runs = await page.evaluate(() => window.steepest.runs);
  await page.fill('#ctl-run-steps', '40');
  await page.press('#ctl-run-steps', 'Tab');
  await page.waitForFunction((n) => window.steepest.runs > n, runs);
  assert.doesNotMatch(page.url(), /preset=/);
  assert.match(page.url(), /[?&]view=geometry2d(&|$)/);
  assert.equal(await page.locator('#geometry2d-view').isVisible(), true);
  assert.equal(await page.locator('#story .story-modified').isVisible(), true);
  assert.deepEqual(problems, []);
  await page.close();
});
