// @ts-check
// The sweep's pool of workers (www/compute.js): as many workers as navigator.hardwareConcurrency
// says (set here before the page loads), the cells shared among them, the result the same as
// with one worker and as the CLI's, no worker fetching the wasm, and Cancel stopping them all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useSite, root } from './helpers.mjs';

const site = useSite();

const SWEEP = '/?view=sweep&d=12&outliers=2&steps=3000&sweep.spread_points=3&sweep.rotation_points=3&sweep.problems=2&sweep.spread_max=5';
// Hundreds of times the work of SWEEP (every run takes all its steps): still sweeping when
// Cancel is clicked.
const HEAVY = '/?view=sweep&d=12&outliers=2&steps=20000&target=0&sweep.spread_points=8&sweep.rotation_points=8&sweep.problems=2&sweep.spread_max=5';

/** A page that reports `cores` as navigator.hardwareConcurrency, opened at `path` (and, unless
 * told not to wait, ready).
 * @param {number} cores
 * @param {string} path
 * @param {boolean} [waitReady] */
async function openWithCores(cores, path, waitReady = true) {
  const page = await site.browser.newPage();
  /** @type {string[]} */
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript((n) => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => n }), cores);
  await page.goto(site.base + path);
  if (waitReady) await page.waitForFunction(() => window.steepest && window.steepest.ready, null, { timeout: 30000 });
  return { page, problems };
}

/** The wasm files the page's thread and each of its workers fetched (resource timing).
 * @param {import('playwright-core').Page} page */
async function wasmFetches(page) {
  /** @type {() => string[]} */
  const fetched = () => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\.wasm($|\?)/.test(n));
  return {
    page: await page.evaluate(fetched),
    workers: await Promise.all(page.workers().map((w) => w.evaluate(fetched))),
  };
}

test('a sweep shared by four workers equals the one-worker sweep and the CLI\'s, and no worker fetches the wasm', async () => {
  /** @type {Record<number, string>} */
  const sweeps = {};
  for (const cores of [1, 4]) {
    const { page, problems } = await openWithCores(cores, SWEEP);
    await page.waitForFunction(() => window.steepest.sweeps >= 1, null, { timeout: 60000 });
    sweeps[cores] = await page.evaluate(() => JSON.stringify(window.steepest.sweep));
    assert.equal(page.workers().length, cores, `${cores} cores`);
    const fetched = await wasmFetches(page);
    assert.deepEqual(fetched.page.map((u) => new URL(u).pathname), ['/www/pkg/steepest_page_bg.wasm'], 'the page fetches its core once');
    assert.deepEqual(fetched.workers, fetched.workers.map(() => /** @type {string[]} */ ([])), 'a worker fetched wasm');
    if (cores === 4) {
      const spec = await page.evaluate(() => window.steepest.spec);
      const cli = execFileSync(join(root, 'target/release/steepest'), ['sweep', '--spec', '-'], { input: JSON.stringify(spec) }).toString();
      assert.deepEqual(JSON.parse(sweeps[cores]), JSON.parse(cli));
    }
    assert.deepEqual(problems, []);
    await page.close();
  }
  assert.equal(sweeps[4], sweeps[1]);
  assert.equal(JSON.parse(sweeps[1]).cells.length, 9);
});

test('the pool is at most eight workers, and Cancel stops every one of them', async () => {
  const { page, problems } = await openWithCores(64, HEAVY, false);
  await page.locator('#progress').waitFor({ state: 'visible' });
  // Cells finished: the pool reports progress.
  await page.waitForFunction(() => /** @type {HTMLProgressElement} */ (document.querySelector('#progress progress')).value > 0, null, { timeout: 60000 });
  // Every worker is started at once, but a loaded machine may take a while to start the last.
  for (let i = 0; i < 100 && page.workers().length < 8; i++) await page.waitForTimeout(100);
  assert.equal(page.workers().length, 8);
  const closed = page.workers().map((w) => new Promise((resolve) => w.once('close', resolve)));
  await page.click('#cancel');
  await Promise.all(closed);
  await page.locator('#progress').waitFor({ state: 'hidden' });
  assert.match(await page.locator('#status').textContent() ?? '', /Cancelled/);
  assert.equal(await page.evaluate(() => window.steepest.sweeps), 0);
  // The next sweep starts a fresh pool and completes.
  await page.fill('#ctl-run-steps', '300');
  await page.press('#ctl-run-steps', 'Tab');
  await page.waitForFunction(() => window.steepest.sweeps >= 1, null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => window.steepest.sweep.spec.run.steps), 300);
  assert.equal(page.workers().length, 8);
  assert.deepEqual(problems, []);
  await page.close();
});
