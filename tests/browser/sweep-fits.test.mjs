// @ts-check
// The sweep's largest spread, left empty, follows d and outliers (min(8, 0.8 d / outliers)), so the
// Sweep view runs at any d that can hold the outliers; the control shows the value the core uses,
// and where not even the smallest spread fits, the notice names that field and both ways out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, open } from './helpers.mjs';

const site = useSite();
const SMALL = 'view=sweep&steps=300&sweep.spread_points=2&sweep.rotation_points=2&sweep.problems=1';

test('the sweep fits a small d, and its largest spread follows d', async () => {
  const { page, problems } = await open(site.browser, site.base, `/?${SMALL}&d=5`, { waitReady: false });
  await page.waitForFunction(() => window.steepest.sweeps > 0, null, { timeout: 60000 });
  const box = page.locator('#controls .field[data-param="sweep.spread_max"] input[type=number]');
  // d / outliers = 2.5: the map ends at 0.8 x 2.5 = 2, read from the result, not from the page.
  const spreads = await page.evaluate(() => window.steepest.sweep.spreads);
  assert.deepEqual(spreads, [1.5, 2]);
  assert.equal(await box.getAttribute('placeholder'), 'auto: 2');
  assert.equal(await box.inputValue(), '');
  assert.doesNotMatch(await page.evaluate(() => location.search), /spread_max/);
  const sweeps = await page.evaluate(() => window.steepest.sweeps);
  await page.fill('#ctl-problem-d', '40');
  await page.press('#ctl-problem-d', 'Tab');
  await page.waitForFunction((n) => window.steepest.sweeps > n, sweeps, { timeout: 60000 });
  assert.equal(await box.getAttribute('placeholder'), 'auto: 8');
  assert.deepEqual(await page.evaluate(() => window.steepest.sweep.spreads), [1.5, 8]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('where no spread fits, the notice names sweep.spread_min and the way out', async () => {
  const { page } = await open(site.browser, site.base, `/?${SMALL}&d=3`, { waitReady: false });
  await page.waitForFunction(() => /Not run/.test(document.querySelector('#status')?.textContent ?? ''), null, { timeout: 60000 });
  const status = await page.locator('#status').textContent() ?? '';
  assert.match(status, /sweep\.spread_min: 1\.5 is not allowed/);
  assert.match(status, /= 1\.2 while sweep\.spread_max is empty/);
  assert.match(status, /below d \/ outliers = 1\.5/);
  await page.close();
});
