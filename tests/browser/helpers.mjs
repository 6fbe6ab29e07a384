// @ts-check
// Shared set-up for the browser tests: the site served on a free loopback port, Debian's
// chromium driven by playwright-core, and small probes of what a reader sees.
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { root, CHROMIUM } from '../../scripts/setup.mjs';

export { root };

export async function start() {
  const server = await serve(root, 0);
  const base = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  return { server, base, browser };
}

/** The site and a browser for one test file: started before its tests, closed after them.
 * The fields are filled in by `before`, so read them inside the tests. */
export function useSite() {
  const site = /** @type {Awaited<ReturnType<typeof start>>} */ ({});
  before(async () => { Object.assign(site, await start()); });
  after(async () => {
    await site.browser?.close();
    site.server?.close();
  });
  return site;
}

/** Opens `path`, collecting console errors and page errors; waits for the first results.
 * @param {import('playwright-core').Browser} browser
 * @param {string} base
 * @param {string} path
 * @param {{ viewport?: { width: number, height: number }, waitReady?: boolean }} [options] */
export async function open(browser, base, path, { viewport, waitReady = true } = {}) {
  const page = await browser.newPage(viewport ? { viewport } : {});
  /** @type {string[]} */
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(base + path);
  if (waitReady) await page.waitForFunction(() => window.steepest && window.steepest.ready, null, { timeout: 30000 });
  return { page, problems };
}

/** Types settings that make a heavy run (d = 1500, rotated: seconds in the worker) into the
 * controls, and waits for its progress bar.
 * @param {import('playwright-core').Page} page */
export async function startHeavyRun(page) {
  await page.fill('#ctl-problem-d', '1500');
  await page.press('#ctl-problem-d', 'Tab');
  await page.fill('#ctl-problem-rotation', '1');
  await page.press('#ctl-problem-rotation', 'Tab');
  await page.locator('#progress').waitFor({ state: 'visible' });
}

/** Fraction of a canvas's pixels that differ from its top-left pixel (0 = blank).
 * @param {import('playwright-core').Page} page
 * @param {string} selector */
export function inkFraction(page, selector) {
  return page.evaluate((sel) => {
    const c = /** @type {HTMLCanvasElement} */ (document.querySelector(sel));
    const ctx = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d'));
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) ink++;
    }
    return ink / (data.length / 4);
  }, selector);
}
