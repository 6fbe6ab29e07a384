// @ts-check
// Heavy-tailed classes on the page (issue 14, item 4): the training loss by class-frequency
// group, the same numbers as the CLI's, drawn for the rare classes and listed in the methods table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useSite, open, inkFraction, root } from './helpers.mjs';

const site = useSite();

/** The release CLI's stdout for `args`. @param {string[]} args */
const cli = (args) => execFileSync(join(root, 'target/release/steepest'), args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();

test('heavy-tailed-classes splits the training loss by class group as the CLI does, draws the rare classes and checks its claims', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?preset=heavy-tailed-classes');
  await page.waitForFunction(() => window.steepest.result && window.steepest.result.methods.length === 3, null, { timeout: 120000 });
  const web = await page.evaluate(() => window.steepest.result);
  const native = JSON.parse(cli(['run', '--preset', 'heavy-tailed-classes']));
  assert.deepEqual(web.problem.classes, native.problem.classes);
  assert.equal(native.problem.classes.counts.length, 10);
  for (const [k, m] of native.methods.entries()) {
    assert.deepEqual(web.methods[k].curves, m.curves, m.label);
    assert.equal(m.curves.group_loss.length, m.curves.t.length);
  }
  const fig = 'figure[data-plot="rare"]';
  assert.equal(await page.locator(fig).isVisible(), true);
  assert.ok(await inkFraction(page, `${fig} canvas`) > 0.01, 'rare-class plot blank');
  assert.match(await page.locator('#summary').textContent() ?? '', /training loss [\d.e-]+ frequent, [\d.e-]+ middle, [\d.e-]+ rare classes/);
  await page.waitForFunction(() => document.querySelectorAll('#story .story-claims li.holds').length === 3);
  assert.equal(await page.locator('#story .story-claims li.fails').count(), 0);
  // Without the Zipf law there are no groups and no figure.
  const plain = await open(site.browser, site.base, '/?problem=network&hidden=4&m0=adam&m0.lr=0.01&steps=20&target=0');
  await plain.page.waitForFunction(() => window.steepest.result && window.steepest.result.problem.d === 310, null, { timeout: 60000 });
  assert.equal(await plain.page.locator(fig).isVisible(), false);
  assert.deepEqual([...problems, ...plain.problems], []);
  await plain.page.close();
  await page.close();
});
