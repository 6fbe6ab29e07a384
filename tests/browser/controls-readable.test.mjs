// @ts-check
// Controls a person can read: labels as people write them with the spec name on demand, ranges as
// "1 to 2000", a typed value that moves its slider, ArrowUp by the parameter's own step, controls
// a view overrides disabled with the reason, and a conflict named in the notice area.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, open } from './helpers.mjs';

const site = useSite();

test('labels, ranges and help read as people write them', async () => {
  const { page, problems } = await open(site.browser, site.base, '/');
  const field = (/** @type {string} */ name) => page.locator(`#controls .field[data-param="${name}"]`).first();
  assert.equal(await field('problem.lambda_max').locator('label').first().textContent(), 'λ_max');
  assert.equal(await field('problem.start_scale').locator('label').first().textContent(), 'start distance');
  assert.equal(await field('problem.d').locator('.help').textContent(), '1 to 2000');
  assert.equal(await field('problem.lambda_max').locator('.help').textContent(), 'above 0, up to 1e8');
  assert.equal(await field('run.target').locator('.help').textContent(), '0 to below 1');
  // The spec name and the full help: in the label's tooltip, and behind the "?".
  assert.match(await field('problem.lambda_max').locator('label').first().getAttribute('title') ?? '', /^problem\.lambda_max: largest eigenvalue/);
  const more = field('problem.lambda_max').locator('details.more');
  assert.equal(await more.locator('p').isVisible(), false);
  await more.locator('summary').click();
  assert.match(await more.locator('p').textContent() ?? '', /largest eigenvalue.*problem\.lambda_max/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a typed value moves its slider, and ArrowUp steps by the parameter\'s own amount', async () => {
  const { page, problems } = await open(site.browser, site.base, '/');
  const slider = page.locator('#controls .field[data-param="problem.rotation"] input[type=range]');
  await page.fill('#ctl-problem-rotation', '0.8');
  assert.equal(await slider.inputValue(), '800');
  await page.fill('#ctl-problem-rotation', '0');
  await page.press('#ctl-problem-rotation', 'Tab');
  await page.waitForFunction(() => window.steepest.spec.problem.rotation === 0);
  await page.focus('#ctl-problem-rotation');
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => window.steepest.spec.problem.rotation === 0.05);
  assert.equal(await page.inputValue('#ctl-problem-rotation'), '0.05');
  assert.equal(await slider.inputValue(), '50');
  // A log-scaled parameter steps by a factor: λ_max 100 -> 200 -> 100.
  await page.focus('#ctl-problem-lambda_max');
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => window.steepest.spec.problem.lambda_max === 200);
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => window.steepest.spec.problem.lambda_max === 100);
  // The upper end of a closed range holds.
  await page.fill('#ctl-problem-rotation', '1');
  await page.press('#ctl-problem-rotation', 'Tab');
  await page.focus('#ctl-problem-rotation');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.inputValue('#ctl-problem-rotation'), '1');
  assert.deepEqual(problems, []);
  await page.close();
});

test('on the sweep view the settings its grid overrides are disabled, with the reason', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?view=sweep&d=8&steps=200&sweep.spread_points=2&sweep.rotation_points=2&sweep.problems=1&sweep.spread_max=3', { waitReady: false });
  await page.waitForFunction(() => window.steepest && window.steepest.ready, null, { timeout: 60000 });
  for (const name of ['problem.rotation', 'problem.lambda_max']) {
    const f = page.locator(`#controls .field[data-param="${name}"]`);
    assert.equal(await f.locator('input[type=number]').isDisabled(), true, name);
    assert.match(await f.locator('.help').textContent() ?? '', /set by each cell of the sweep map/);
  }
  assert.equal(await page.locator('#ctl-problem-d').isDisabled(), false);
  // Back on the Runs view they are controls again.
  await page.click('#tab-runs');
  assert.equal(await page.locator('#ctl-problem-rotation').isDisabled(), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a conflict such as analysis.step beyond run.steps is named in the notice area too', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?view=hessian&steps=100&analysis.step=300');
  const notice = page.locator('.notice[data-key="edit"]');
  await notice.waitFor();
  assert.match(await notice.textContent() ?? '', /analysis\.step.*300.*run\.steps = 100/);
  assert.match(await page.locator('#ctl-analysis-step-err').textContent() ?? '', /run\.steps = 100/);
  // The edit that resolves it clears the notice, and the analysis runs.
  const done = await page.evaluate(() => window.steepest.anatomies);
  await page.fill('#ctl-analysis-step', '50');
  await page.press('#ctl-analysis-step', 'Tab');
  await page.waitForFunction((n) => window.steepest.anatomies > n, done, { timeout: 30000 });
  assert.equal(await notice.count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});
