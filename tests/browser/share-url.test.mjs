// @ts-check
// The share URL: only what differs from the defaults, a preset's name alone while its settings
// stand, the same spec (and the same query from the CLI) when opened again, and a notice naming
// everything in a link that the page ignores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useSite, open, root } from './helpers.mjs';

const site = useSite();

/** The CLI's `steepest url` of the spec that `query`'s pairs set over the defaults.
 * @param {string} query */
function cliUrl(query) {
  const set = query.split('&').flatMap((kv) => ['--set', decodeURIComponent(kv)]);
  return execFileSync(join(root, 'target/release/steepest'), ['url', ...set]).toString().trim();
}

test('the default page links as ?v=1, and an edit adds only what it changed', async () => {
  const { page, problems } = await open(site.browser, site.base, '/');
  assert.equal(new URL(page.url()).search, '?v=1');
  await page.fill('#ctl-problem-rotation', '0.35');
  await page.press('#ctl-problem-rotation', 'Tab');
  await page.waitForFunction(() => location.search === '?v=1&rotation=0.35');
  // A method's field: the methods are written whole, each with its kind.
  await page.fill('#ctl-methods-1-lr', '0.5');
  await page.press('#ctl-methods-1-lr', 'Tab');
  await page.waitForFunction(() => /m1\.lr=0\.5/.test(location.search));
  const search = new URL(page.url()).search;
  assert.equal(search, '?v=1&rotation=0.35&m0=gd&m1=sign_gd&m1.lr=0.5');
  const spec = await page.evaluate(() => window.steepest.spec);
  // The same link opens the same spec, and the CLI writes the same query for it.
  const again = await open(site.browser, site.base, `/${search}`);
  assert.deepEqual(await again.page.evaluate(() => window.steepest.spec), spec);
  assert.equal(await again.page.locator('.notice').count(), 0);
  assert.equal(cliUrl(search.slice(1)), search.slice(1));
  assert.deepEqual([...problems, ...again.problems], []);
  await again.page.close();
  await page.close();
});

test('a preset link stays ?preset=NAME with its own view until a setting changes', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?preset=geometry-2d');
  assert.equal(new URL(page.url()).search, '?preset=geometry-2d');
  assert.equal(await page.locator('#tab-geometry2d').getAttribute('aria-selected'), 'true');
  await page.fill('#ctl-run-steps', '40');
  await page.press('#ctl-run-steps', 'Tab');
  await page.waitForFunction(() => /steps=40/.test(location.search));
  // After the edit the link carries the settings and the view, so it opens what is on screen.
  const search = new URL(page.url()).search;
  assert.match(search, /problem=quad2d/);
  assert.match(search, /view=geometry2d/);
  const spec = await page.evaluate(() => window.steepest.spec);
  const again = await open(site.browser, site.base, `/${search}`);
  assert.deepEqual(await again.page.evaluate(() => window.steepest.spec), spec);
  assert.equal(await again.page.locator('#tab-geometry2d').getAttribute('aria-selected'), 'true');
  assert.deepEqual([...problems, ...again.problems], []);
  await again.page.close();
  await page.close();
});

test('the notice names every key the page ignores', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?view=bogus&preset=nope&plot=pie&d=30&d=40&m9=adam');
  const text = await page.locator('.notice').textContent() ?? '';
  for (const expected of [
    /view=bogus: there is no such view.*allowed: runs, sweep, geometry2d, hessian/,
    /preset=nope: there is no such preset.*allowed: .*outliers-rotated/,
    /plot=pie: there is no such figure.*allowed: .*f, /,
    /d is given 2 times \(30, 40\); the last, d=40, is used/,
    /m9: methods are m0 to m7 \(at most 8\); m9 is ignored/,
  ]) assert.match(text, expected);
  const spec = await page.evaluate(() => window.steepest.spec);
  assert.equal(spec.problem.d, 40);
  assert.deepEqual(spec.methods.map((/** @type {{ kind: string }} */ m) => m.kind), ['gd', 'sign_gd']);
  // The ignored view and preset leave the link; the spec keys that were used stay.
  assert.equal(new URL(page.url()).search, '?v=1&d=40&plot=pie');
  // Methods numbered with a gap are read in order, and the gap is named.
  const gap = await open(site.browser, site.base, '/?m1=adam&m3=lion');
  assert.match(await gap.page.locator('.notice').textContent() ?? '', /m0, m2 are missing/);
  assert.deepEqual(await gap.page.evaluate(() => window.steepest.spec.methods.map((/** @type {{ kind: string }} */ m) => m.kind)), ['adam', 'lion']);
  assert.deepEqual([...problems, ...gap.problems], []);
  await gap.page.close();
  await page.close();
});

test('a link with a large matrix is read, not refused by the server', async () => {
  const n = 60;
  const rows = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 2 + i / n : 1e-3 / (1 + i + j)).toPrecision(17)).join(','));
  const { page, problems } = await open(site.browser, site.base, `/?problem=matrix&matrix=${rows.join(';')}`);
  const spec = await page.evaluate(() => window.steepest.spec);
  assert.equal(spec.problem.matrix.length, n);
  // The link leaves the matrix out, and the page says so.
  assert.equal(new URL(page.url()).search, '?v=1&problem=matrix');
  assert.match(await page.locator('.notice').textContent() ?? '', /60 x 60 matrix is not in the link/);
  assert.deepEqual(problems, []);
  await page.close();
});
