// @ts-check
// The built site (dist/, from npm run build) as a reader gets it from a static host that is not
// ours: Python's http.server, with the site under a sub-path. Every request must stay inside the
// sub-path and succeed; the page draws, loads a preset, runs the worker, fetches a data set and
// renders an embed. The single file (npm run build -- --single) does the same from file://.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { start, open, inkFraction, root } from './helpers.mjs';
import { servePython } from './static-server.mjs';

const SUB_PATH = 'some/dir/steepest';

/** @type {import('node:http').Server} */
let server;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {{ url: string, stop: () => void }} */
let site;

before(async () => {
  ({ server, browser } = await start());
  site = await servePython(SUB_PATH);
});
after(async () => {
  await browser?.close();
  server?.close();
  site?.stop();
});

/** Opens `query` of the served dist/, recording every response (the worker's too) from the start.
 * @param {string} query */
async function openSite(query) {
  const page = await browser.newPage();
  /** @type {string[]} */
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  /** @type {string[]} */
  const stray = [];
  /** @type {Map<string, number>} */
  const fetched = new Map();
  page.on('response', (res) => {
    const u = res.url();
    fetched.set(u, res.status());
    if (!u.startsWith(site.url) && !u.startsWith('blob:') && !u.startsWith('data:')) stray.push(`outside the sub-path: ${u}`);
    else if (res.status() >= 400) stray.push(`${res.status()} ${u}`);
  });
  page.on('requestfailed', (req) => stray.push(`failed: ${req.url()}`));
  await page.goto(site.url + query);
  await page.waitForFunction(() => window.steepest && window.steepest.ready, null, { timeout: 30000 });
  return { page, problems, stray, fetched };
}

test('from a sub-path of a plain static server the built page draws, and every file it asks for is there', async () => {
  const { page, problems, stray } = await openSite('');
  for (const plot of ['f', 'grad', 'density', 'bounds']) {
    assert.ok(await inkFraction(page, `figure[data-plot="${plot}"] canvas`) > 0.01, `${plot} blank`);
  }
  // The page core and every module came from the hashed assets beside the page.
  const assets = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.ok(assets.some((u) => /\/some\/dir\/steepest\/assets\/steepest_page_bg\.[0-9a-f]{10}\.wasm$/.test(u)), assets.join('\n'));
  assert.ok(assets.every((u) => u.startsWith(site.url)), assets.join('\n'));
  // A preset loads its spec.
  const runs = await page.evaluate(() => window.steepest.runs);
  await page.selectOption('#preset', 'outliers-rotated');
  await page.waitForFunction((n) => window.steepest.runs > n, runs);
  assert.match(page.url(), /\/some\/dir\/steepest\/\?.*preset=outliers-rotated/);
  assert.equal(await page.evaluate(() => window.steepest.spec.problem.rotation), 1);
  assert.deepEqual(problems, []);
  assert.deepEqual(stray, []);
  await page.close();
});

test('the built worker sweeps, and a network trains on a data set fetched from the sub-path', async () => {
  const sweep = await openSite('?view=sweep&d=12&outliers=2&steps=3000&sweep.spread_points=3&sweep.rotation_points=3&sweep.problems=2&sweep.spread_max=5');
  await sweep.page.waitForFunction(() => window.steepest.sweeps >= 1, null, { timeout: 30000 });
  assert.ok(await inkFraction(sweep.page, 'figure[data-sweep="measured"] canvas') > 0.01);
  assert.deepEqual(sweep.problems, []);
  assert.deepEqual(sweep.stray, []);
  await sweep.page.close();

  const net = await openSite('?problem=network&dataset=breast_cancer&hidden=4&m0=adam&m0.lr=0.01&steps=20&target=0');
  await net.page.waitForFunction(() => window.steepest.result && window.steepest.result.problem.d === 134, null, { timeout: 60000 });
  assert.equal(net.fetched.get(`${site.url}data/breast_cancer.bin`), 200, [...net.fetched.keys()].join('\n'));
  assert.ok(await inkFraction(net.page, 'figure[data-plot="f"] canvas') > 0.01);
  assert.deepEqual(net.problems, []);
  assert.deepEqual(net.stray, []);
  await net.page.close();
});

/** The gzipped size of a file of dist/ named by its URL on the served site.
 * @param {string} url */
const gzippedSize = (url) => gzipSync(readFileSync(join(root, 'dist', new URL(url).pathname.slice(`/${SUB_PATH}/`.length) || 'index.html')), { level: 9 }).length;
/** @param {Iterable<string>} urls */
const wasmFetched = (urls) => [...urls].filter((u) => u.endsWith('.wasm')).map((u) => /assets\/(\w+?)_bg\./.exec(u)?.[1]);

test('the default page transfers at most 400 KB gzipped and not the full core; the Hessian view fetches the full core once, and the worker fetches no wasm', async () => {
  const { page, problems, stray, fetched } = await openSite('');
  const transfer = [...fetched.keys()].reduce((sum, u) => sum + gzippedSize(u), 0);
  assert.ok(transfer <= 400 * 1024, `the default page transferred ${transfer} bytes gzipped`);
  assert.deepEqual(wasmFetched(fetched.keys()), ['steepest_page'], 'only the page core');
  // Heavier than the main thread takes: the worker computes it with the page core it was sent.
  const runs = await page.evaluate(() => window.steepest.runs);
  await page.fill('#ctl-problem-d', '600');
  await page.press('#ctl-problem-d', 'Tab');
  await page.fill('#ctl-problem-rotation', '1');
  await page.press('#ctl-problem-rotation', 'Tab');
  await page.waitForFunction((n) => window.steepest.runs > n && window.steepest.where === 'worker', runs, { timeout: 60000 });
  assert.deepEqual(wasmFetched(fetched.keys()), ['steepest_page'], 'the worker fetched no wasm');

  const before = await page.evaluate(() => window.steepest.anatomies);
  await page.click('#tab-hessian');
  await page.waitForFunction((n) => window.steepest.anatomies > n, before, { timeout: 60000 });
  assert.ok(await inkFraction(page, 'figure[data-anatomy="spectrum"] canvas') > 0.01, 'the spectrum is blank');
  assert.deepEqual(wasmFetched(fetched.keys()), ['steepest_page', 'steepest'], 'the full core, fetched once, by the page');
  assert.deepEqual(problems, []);
  assert.deepEqual(stray, []);
  await page.close();
});

test('an embed link of the built site shows its one figure', async () => {
  const { page, problems, stray } = await openSite('?embed=1&plot=grad&d=10&rotation=0.5');
  assert.equal(await page.locator('figure[data-plot="grad"]').isVisible(), true);
  assert.equal(await page.locator('figure[data-plot="f"]').isVisible(), false);
  assert.ok(await inkFraction(page, 'figure[data-plot="grad"] canvas') > 0.01);
  // The way out of the embed is the playground at the same sub-path.
  assert.match(await page.locator('#open-full').evaluate((a) => /** @type {HTMLAnchorElement} */ (a).href), /^http:\/\/127\.0\.0\.1:\d+\/some\/dir\/steepest\/\?.*d=10/);
  assert.deepEqual(problems, []);
  assert.deepEqual(stray, []);
  await page.close();
});

test('the single file (npm run build -- --single) opens from file://, draws, and runs the worker and a network on an inlined data set', async () => {
  const file = pathToFileURL(join(root, 'dist/steepest.html')).href;
  assert.ok(existsSync(join(root, 'dist/steepest.html')), 'dist/steepest.html is missing: run npm run build -- --single');
  const { page, problems } = await open(browser, file, '');
  for (const plot of ['f', 'grad', 'density', 'bounds']) {
    assert.ok(await inkFraction(page, `figure[data-plot="${plot}"] canvas`) > 0.01, `${plot} blank`);
  }
  assert.deepEqual(problems, []);
  await page.close();

  const sweep = await open(browser, file, '?view=sweep&d=12&outliers=2&steps=3000&sweep.spread_points=3&sweep.rotation_points=3&sweep.problems=2&sweep.spread_max=5');
  await sweep.page.waitForFunction(() => window.steepest.sweeps >= 1, null, { timeout: 30000 });
  assert.ok(await inkFraction(sweep.page, 'figure[data-sweep="measured"] canvas') > 0.01);
  assert.deepEqual(sweep.problems, []);
  await sweep.page.close();

  // Big enough for the worker, which reads the data set from the file too.
  const net = await open(browser, file, '?problem=network&hidden=0&m0=adam&m0.lr=0.01&steps=150&target=0');
  await net.page.waitForFunction(() => window.steepest.result && window.steepest.result.problem.d === 650, null, { timeout: 60000 });
  assert.equal(await net.page.evaluate(() => window.steepest.where), 'worker');
  assert.ok(await net.page.evaluate(() => window.steepest.result.methods[0].accuracy.test) > 0.9);
  assert.deepEqual(net.problems, []);
  await net.page.close();
});
