// @ts-check
// Spectral descent against GD on the page (issue 14, item 3): the run's spectral comparison in
// ceiling, predicted and measured form, the same numbers as the CLI's, and its sentence beside
// sign GD's in the Runs view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useSite, open, inkFraction, root } from './helpers.mjs';

const site = useSite();

/** The release CLI's stdout for `args`. @param {string[]} args */
const cli = (args) => execFileSync(join(root, 'target/release/steepest'), args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();

test('spectral-quadratic sets spectral descent\'s ceiling, prediction and measurement beside sign GD\'s, as the CLI computes them', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?preset=spectral-quadratic');
  const web = await page.evaluate(() => window.steepest.result);
  const native = JSON.parse(cli(['run', '--preset', 'spectral-quadratic']));
  assert.deepEqual(web.spectral_comparison, native.spectral_comparison);
  const c = web.spectral_comparison;
  assert.equal(c.spectral, 2);
  assert.equal(c.max_nuclear_rank, 8);
  // The ceiling is R L₂ / L_spec from the two runs' constants.
  const [gd, spectral] = [web.methods[c.gd], web.methods[c.spectral]];
  assert.equal(c.ceiling, (8 * gd.smoothness.value) / spectral.smoothness.value);
  assert.equal(c.measure, 'steps');
  assert.equal(c.measured, gd.stopped_at / spectral.stopped_at);
  const verdict = await page.locator('#verdict').textContent() ?? '';
  assert.match(verdict, /Ceiling d L₂ \/ L∞.*Spectral descent: ceiling R L₂ \/ L_spec \(R = 8, all singular values equal\): [\d.]+\. Predicted from the guarantees along both runs, with the nuclear rank they met: [\d.]+, so .* should need fewer steps \(L_spec is only bounded above here, so both are lower bounds\)\. Measured: GD needed \d+ steps and spectral descent \d+ to reach the target/);
  await page.waitForFunction(() => document.querySelectorAll('#story .story-claims li.holds').length === 6);
  assert.match(await page.locator('#story .story-claims').textContent() ?? '', /✓ the spectral ceiling R L₂ \/ L_spec is above 1.*✓ the measured advantage of spectral descent \(GD's steps over its\) is above 1/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('muon-vs-adam-digits trains the four methods as the CLI does and draws the nuclear rank beside the density', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?preset=muon-vs-adam-digits');
  await page.waitForFunction(() => window.steepest.result && window.steepest.result.methods.length === 4, null, { timeout: 120000 });
  const web = await page.evaluate(() => window.steepest.result);
  const native = JSON.parse(cli(['run', '--preset', 'muon-vs-adam-digits']));
  for (const [k, m] of native.methods.entries()) {
    const w = web.methods[k];
    assert.equal(w.label, m.label);
    assert.deepEqual([w.f, w.density, w.nuclear_rank, w.accuracy], [m.f, m.density, m.nuclear_rank, m.accuracy], m.label);
    // nu / R of the two weight matrices (64 x 16 and 16 x 10) and two biases: R = 16 + 10 + 2.
    assert.equal(m.nuclear_rank.max, 28);
  }
  assert.ok(native.methods[3].accuracy.test >= 0.9, JSON.stringify(native.methods[3].accuracy));
  const fig = 'figure[data-plot="nuclear"]';
  assert.equal(await page.locator(fig).isVisible(), true);
  assert.ok(await inkFraction(page, `${fig} canvas`) > 0.01, 'nuclear-rank plot blank');
  await page.locator(`${fig} canvas`).hover({ position: { x: 150, y: 60 } });
  assert.match(await page.locator(`${fig} .hover`).textContent() ?? '', /step \d+.*Muon \(lr 0\.03\): 0\.\d+/s);
  await page.waitForFunction(() => document.querySelectorAll('#story .story-claims li.holds').length === 2);
  assert.deepEqual(problems, []);
  await page.close();
});
