// @ts-check
// Every reader, every device (issue 12): figures first on a phone with the settings in a
// drawer, tables that keep their numbers whole, real progress and a consistent Cancel, and
// figures read by keyboard and as tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useSite, open, root } from './helpers.mjs';

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
