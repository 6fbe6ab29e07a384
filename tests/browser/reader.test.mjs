// @ts-check
// Every reader, every device (issue 12): figures first on a phone with the settings in a
// drawer, tables that keep their numbers whole, real progress and a consistent Cancel, and
// figures read by keyboard and as tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useSite, open, root, startHeavyRun } from './helpers.mjs';

const site = useSite();

const PHONE = { width: 390, height: 844 };

/** The top of the first figure shown, in viewport pixels.
 * @param {import('playwright-core').Page} page */
const firstFigureTop = (page) => page.evaluate(() => {
  const shown = [...document.querySelectorAll('figure.plot')].filter((f) => /** @type {HTMLElement} */ (f).offsetParent !== null);
  return shown.length ? shown[0].getBoundingClientRect().top : Infinity;
});

test('on a phone the first figure is above the fold on the default page and on every preset', async () => {
  const presets = JSON.parse(execFileSync(join(root, 'target/release/steepest'), ['presets']).toString());
  for (const path of ['/', ...presets.map((/** @type {any} */ p) => `/?preset=${p.name}`)]) {
    const { page, problems } = await open(site.browser, site.base, path, { viewport: PHONE, waitReady: false });
    await page.waitForFunction(() => window.steepest && window.steepest.ready, null, { timeout: 120000 });
    const top = await firstFigureTop(page);
    assert.ok(top < PHONE.height, `${path}: the first figure starts at ${top} px`);
    assert.equal(await page.locator('#controls').isVisible(), false, `${path}: the settings wait in their drawer`);
    assert.deepEqual(problems, [], path);
    await page.close();
  }
});

test('on a phone the settings open in a drawer by its button, close by Close and by Escape, and keep the figures in view', async () => {
  const { page } = await open(site.browser, site.base, '/', { viewport: PHONE });
  const button = page.locator('#settings-open');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  assert.equal(await page.locator('#controls').isVisible(), true);
  // Focus moves into the drawer.
  assert.equal(await page.evaluate(() => /** @type {HTMLElement} */ (document.getElementById('settings')).contains(document.activeElement)), true);
  // Nothing in the open drawer runs off the screen.
  const wide = await page.evaluate(() => [...document.querySelectorAll('#settings *')]
    .filter((e) => /** @type {HTMLElement} */ (e).offsetParent !== null && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map((e) => e.id || e.tagName));
  assert.deepEqual(wide, []);
  // A changed value redraws the figure, which stays in view above the drawer.
  const runs = await page.evaluate(() => window.steepest.runs);
  await page.fill('#ctl-problem-rotation', '0.4');
  await page.press('#ctl-problem-rotation', 'Tab');
  await page.waitForFunction((n) => window.steepest.runs > n, runs);
  const [figureTop, figureBottom, drawerTop] = await page.evaluate(() => {
    const canvas = /** @type {HTMLElement} */ (document.querySelector('figure[data-plot="f"] canvas')).getBoundingClientRect();
    return [canvas.top, canvas.bottom, /** @type {HTMLElement} */ (document.getElementById('settings')).getBoundingClientRect().top];
  });
  assert.ok(figureTop >= 0 && figureBottom <= drawerTop, `figure from ${figureTop} to ${figureBottom}, drawer from ${drawerTop}`);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#controls').isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'settings-open', 'focus returns to the button');
  await button.click();
  await page.click('#settings-close');
  assert.equal(await page.locator('#controls').isVisible(), false);
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  await page.close();
  // At desktop width the settings stay beside the figures, with no drawer button.
  const { page: desk } = await open(site.browser, site.base, '/', { viewport: { width: 1440, height: 900 } });
  assert.equal(await desk.locator('#controls').isVisible(), true);
  assert.equal(await desk.locator('#settings-open').isVisible(), false);
  const [side, fig] = await desk.evaluate(() => ['settings', 'figures'].map((id) => /** @type {HTMLElement} */ (document.getElementById(id)).getBoundingClientRect().left));
  assert.ok(side < fig, 'settings on the left of the figures');
  await desk.close();
});

test('table numbers and headers never break mid-token, on a phone too', async () => {
  const { page } = await open(site.browser, site.base, '/?m0=gd&m1=sign_gd&m2=adam&m2.tune=true', { viewport: { width: 360, height: 800 } });
  const broken = await page.evaluate(() => {
    /** Cells whose text runs over more than one line while holding no space to wrap at. */
    const cells = [...document.querySelectorAll('#summary th, #summary td.num, #geometry td.num')];
    return cells.filter((c) => {
      const range = document.createRange();
      range.selectNodeContents(c);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      return lines.size > 1 && (c.matches('td.num') || !/\s/.test(c.textContent ?? ''));
    }).map((c) => c.textContent);
  });
  assert.deepEqual(broken, []);
  // Steps and final value of each of the three methods, and the untuned step scales.
  assert.ok(await page.locator('#summary td.num').count() >= 8, 'steps, final values and step scales are numbers');
  // The page itself never scrolls sideways: a wide table scrolls in its own box.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth));
  await page.close();
});

test('a network run says loss, not f − f*, in the table and the figure caption', async () => {
  const { page } = await open(site.browser, site.base, '/?problem=network&dataset=breast_cancer&hidden=2&m0=gd&m0.lr=0.3&steps=20&target=0');
  await page.waitForFunction(() => window.steepest.result?.problem.f_star === null, null, { timeout: 60000 });
  assert.match(await page.locator('#summary thead').innerText(), /final loss/);
  assert.doesNotMatch(await page.locator('#summary thead').innerText(), /f − f\*/);
  assert.match(await page.locator('figure[data-plot="f"] figcaption').innerText(), /^Loss/);
  await page.close();
  const { page: quad } = await open(site.browser, site.base, '/');
  assert.match(await quad.locator('#summary thead').innerText(), /final f − f\*/);
  assert.match(await quad.locator('figure[data-plot="f"] figcaption').innerText(), /^Suboptimality/);
  await quad.close();
});

/** The progress bar's value and text, or null while idle.
 * @param {import('playwright-core').Page} page */
const progressNow = (page) => page.evaluate(() => {
  const box = /** @type {HTMLElement} */ (document.getElementById('progress'));
  if (box.classList.contains('idle')) return null;
  return { value: /** @type {HTMLProgressElement} */ (box.querySelector('progress')).value, text: box.querySelector('.progress-text')?.textContent ?? '' };
});

test('a long run reports real progress, and the progress row keeps its place', async () => {
  const { page } = await open(site.browser, site.base, '/');
  const statusTop = () => page.evaluate(() => /** @type {HTMLElement} */ (document.getElementById('status')).getBoundingClientRect().top);
  const before = await statusTop();
  // A rotated quadratic at d = 1200 in the workers, seconds long: making the problem, then the
  // methods' steps.
  await page.goto(`${site.base}/?d=1200&rotation=1&steps=4000`);
  await page.locator('#progress').waitFor({ state: 'visible', timeout: 30000 });
  assert.equal(await statusTop(), before, 'no layout jump when the progress bar appears');
  // Sampled until the run ends (the bar goes idle, or starts again at 0 for the geometry that
  // follows): the value only grows, through both stages.
  /** @type {{ value: number, text: string }[]} */
  const seen = [];
  for (let i = 0; i < 600; i++) {
    const p = await progressNow(page);
    if (!p || (seen.length && p.value < seen[seen.length - 1].value)) break;
    if (seen.length === 0 || p.value !== seen[seen.length - 1].value) seen.push(p);
    await page.waitForTimeout(200);
  }
  await page.waitForFunction(() => window.steepest.result?.problem.d === 1200, null, { timeout: 30000 });
  assert.ok(seen.length >= 6, `the bar moved only through ${JSON.stringify(seen)}`);
  assert.ok(seen.every((p, k) => k === 0 || p.value > seen[k - 1].value), JSON.stringify(seen));
  assert.ok(seen.some((p) => /making the problem… \d+%/.test(p.text)), JSON.stringify(seen));
  assert.ok(seen.some((p) => /running the methods… \d+%/.test(p.text)), JSON.stringify(seen));
  assert.ok(seen[seen.length - 1].value > 0.5, JSON.stringify(seen));
  await page.close();
});

test('after Cancel the figures say they show other settings, with one click to run them', async () => {
  const { page } = await open(site.browser, site.base, '/');
  await startHeavyRun(page);
  await page.click('#cancel');
  await page.locator('#progress').waitFor({ state: 'hidden' });
  // Controls and link hold the new settings; the figures hold d = 20 and say so.
  assert.match(page.url(), /[?&]d=1500(&|$)/);
  assert.equal(await page.inputValue('#ctl-problem-d'), '1500');
  assert.equal(await page.evaluate(() => window.steepest.result.problem.d), 20);
  assert.equal(await page.locator('#stale').isVisible(), true);
  assert.match(await page.locator('#stale').textContent() ?? '', /earlier settings/);
  assert.equal(await page.evaluate(() => document.getElementById('figures')?.classList.contains('stale')), true);
  // Run computes the settings of the controls and the link.
  await page.click('#run-again');
  await page.locator('#progress').waitFor({ state: 'visible' });
  assert.match(await page.locator('#progress .progress-text').textContent() ?? '', /making the problem|starting/);
  await page.click('#cancel');
  assert.equal(await page.locator('#stale').isVisible(), true);
  // A finished run clears the mark.
  await page.fill('#ctl-problem-d', '200');
  await page.press('#ctl-problem-d', 'Tab');
  await page.waitForFunction(() => window.steepest.result.problem.d === 200, null, { timeout: 60000 });
  assert.equal(await page.locator('#stale').isVisible(), false);
  assert.equal(await page.evaluate(() => document.getElementById('figures')?.classList.contains('stale')), false);
  await page.close();
});

test('cancelling the very first computation leaves a usable page that offers to run', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?d=1500&rotation=1', { waitReady: false });
  await page.locator('#progress').waitFor({ state: 'visible', timeout: 30000 });
  await page.click('#cancel');
  await page.waitForFunction(() => window.steepest && window.steepest.ready);
  assert.match(await page.locator('#stale').textContent() ?? '', /Cancelled before anything was computed/);
  assert.equal(await page.locator('#controls').isVisible(), true);
  // Run starts it again.
  await page.click('#run-again');
  await page.locator('#progress').waitFor({ state: 'visible' });
  await page.click('#cancel');
  assert.equal(await page.locator('#stale').isVisible(), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a focused figure reads out by arrow keys, a tap reads out on a touch screen, and the status line speaks plainly', async () => {
  const { page } = await open(site.browser, site.base, '/');
  const canvas = page.locator('figure[data-plot="f"] canvas');
  const hover = page.locator('figure[data-plot="f"] .hover');
  assert.equal(await canvas.getAttribute('tabindex'), '0');
  await canvas.focus();
  await page.keyboard.press('ArrowRight');
  await hover.waitFor({ state: 'visible' });
  const first = await hover.textContent() ?? '';
  const step = (/** @type {string} */ text) => Number(/step (\d+)/.exec(text)?.[1]);
  assert.match(first, /step \d+.*GD \(1\/L\): [\d.e-]+/);
  await page.keyboard.press('Shift+ArrowRight');
  const second = await hover.textContent() ?? '';
  assert.ok(step(second) > step(first), `${first} -> ${second}`);
  // The read-out gives the method's own number at that step.
  const t = step(second);
  const gd = await page.evaluate((k) => window.steepest.result.methods[0].f[k], t);
  assert.ok(second.includes(`${Number(gd.toPrecision(5))}`) || second.includes(gd.toExponential(3)), `${second} vs ${gd}`);
  await page.keyboard.press('Escape');
  assert.equal(await hover.isVisible(), false);
  // The status line names what is shown; the timing is in its tooltip.
  assert.equal(await page.locator('#status').textContent(), '2 methods, d = 20');
  assert.match(await page.locator('#status').getAttribute('title') ?? '', /computed and drawn in \d+ ms/);
  await page.close();
  const touch = await site.browser.newPage({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await touch.goto(`${site.base}/`);
  await touch.waitForFunction(() => window.steepest && window.steepest.ready, null, { timeout: 30000 });
  const box = await touch.locator('figure[data-plot="grad"] canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  await touch.locator('figure[data-plot="grad"] canvas').scrollIntoViewIfNeeded();
  const again = await touch.locator('figure[data-plot="grad"] canvas').boundingBox();
  if (!again) throw new Error('no canvas');
  await touch.touchscreen.tap(again.x + again.width * 0.5, again.y + again.height * 0.5);
  await touch.locator('figure[data-plot="grad"] .hover').waitFor({ state: 'visible' });
  assert.match(await touch.locator('figure[data-plot="grad"] .hover').textContent() ?? '', /step \d+/);
  await touch.close();
});

test('the Data toggle shows a figure as a table of its numbers', async () => {
  const { page } = await open(site.browser, site.base, '/?steps=120');
  const fig = page.locator('figure[data-plot="f"]');
  const toggle = fig.getByRole('button', { name: 'Data' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  const table = fig.locator('.figure-data table');
  await table.waitFor();
  /** @type {{ label: string, f: number[] }[]} */
  const methods = await page.evaluate(() => window.steepest.result.methods.map((/** @type {any} */ m) => ({ label: m.label, f: m.f })));
  assert.deepEqual(await table.locator('thead th').allTextContents(), ['step', ...methods.map((m) => m.label)]);
  // Every row holds each method's value at its step (or a dash after the method stopped).
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
  assert.ok(rows.length >= 20 && rows.length <= 60, `${rows.length} rows`);
  for (const [t, ...cells] of rows) {
    cells.forEach((text, k) => {
      const v = methods[k].f[Number(t)];
      if (v === undefined) assert.equal(text, '—');
      else assert.ok(Math.abs(Number(text) - v) <= 1e-3 * Math.abs(v), `step ${t}, ${methods[k].label}: ${text} vs ${v}`);
    });
  }
  // The table follows the data: a new run refills it.
  const runs = await page.evaluate(() => window.steepest.runs);
  await page.fill('#ctl-problem-rotation', '0.7');
  await page.press('#ctl-problem-rotation', 'Tab');
  await page.waitForFunction((n) => window.steepest.runs > n, runs);
  const t2 = Number(await table.locator('tbody tr:nth-child(2) th').textContent());
  const f2 = await page.evaluate((t) => window.steepest.result.methods[0].f[t], t2);
  assert.equal(Number(await table.locator('tbody tr:nth-child(2) td:nth-child(2)').textContent()), Number(f2.toPrecision(4)));
  await toggle.click();
  assert.equal(await fig.locator('.figure-data').isVisible(), false);
  await page.close();
});
