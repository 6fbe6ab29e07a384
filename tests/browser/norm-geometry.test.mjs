// @ts-check
// The Hessian view's geometry table (issue 14, item 3): GD's, sign descent's and spectral
// descent's numbers at the checkpoint side by side, the CLI's numbers, with the closed forms of
// H = diag(1, 1, 10) (x) I_3 on a 3 x 3 matrix (L_2 = 10, L_inf = tr H = 36, L_spec = 12).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useSite, open, root } from './helpers.mjs';

const site = useSite();

test('the Hessian view sets GD, sign and spectral geometry side by side, as the CLI computes them', async () => {
  const query = '?view=hessian&d=9&shape=3,3&spectrum=outliers&outliers=3&lambda_max=10&m0=spectral&m1=sign_gd&steps=10';
  const { page, problems } = await open(site.browser, site.base, `/${query}`);
  await page.waitForFunction(() => window.steepest.anatomies >= 1, null, { timeout: 30000 });
  const spec = await page.evaluate(() => window.steepest.spec);
  assert.deepEqual(spec.problem.shape, [3, 3]);
  const web = await page.evaluate(() => window.steepest.anatomy);
  const out = JSON.parse(execFileSync(join(root, 'target/release/steepest'), ['analysis', '--spec', '-'], { input: JSON.stringify(spec), stdio: ['pipe', 'pipe', 'ignore'] }).toString());
  assert.deepEqual(web.geometry, out.geometry);
  assert.deepEqual(web.geometry.map((/** @type {any} */ n) => [n.norm, n.max_spread]), [['l2', 1], ['linf', 9], ['spectral', 3]]);
  const text = (/** @type {number} */ k) => page.locator('#anatomy-geometry tbody tr').nth(k).textContent();
  assert.match(await text(0) ?? '', /^smoothness L.*10\s*36\s*12$/);
  assert.match(await text(1) ?? '', /^ceiling D L₂ \/ L.*1\s*2\.5\s*2\.5$/);
  assert.match(await text(2) ?? '', /^measured: the gradient’s spread.*1 of 1[\d.]+ of 9[\d.]+ of 3$/);
  assert.match(await text(4) ?? '', /^measured: one theory step’s decrease over GD’s.*1[\d.]+[\d.]+$/);
  assert.deepEqual(problems, []);
  await page.close();
});
