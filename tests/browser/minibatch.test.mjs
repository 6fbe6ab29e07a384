// @ts-check
// A minibatch network run on the page (issue 15, item 1): the full training loss at the evaluation
// points and the minibatch loss at every step, drawn apart and labelled as what they are, the same
// numbers as the release CLI's; the read-out at an evaluation step gives the full loss there, and
// between evaluation points the nearest one's, with its step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useSite, open, inkFraction, root } from './helpers.mjs';

const site = useSite();

const QUERY = 'problem=network&hidden=8&m0=adam&m0.lr=0.01&m1=sign_gd&m1.rule=const&m1.lr=0.001&steps=60&target=0&batch=32&eval_points=6';

/** The release CLI's stdout for `args`. @param {string[]} args */
const cli = (args) => execFileSync(join(root, 'target/release/steepest'), args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();

/** As the page's read-outs print a number. @param {number} v */
const fmt = (v) => {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
};

test('a minibatch run shows the full loss at its evaluation points and the minibatch loss per step, each labelled, with the CLI\'s numbers', async () => {
  const { page, problems } = await open(site.browser, site.base, `/?${QUERY}`);
  await page.waitForFunction(() => window.steepest.result && window.steepest.result.methods.length === 2, null, { timeout: 120000 });
  const web = await page.evaluate(() => window.steepest.result);
  const sets = QUERY.split('&').flatMap((kv) => ['--set', kv]);
  const native = JSON.parse(cli(['run', ...sets]));
  for (const [k, m] of native.methods.entries()) {
    assert.deepEqual(m.t, [0, 10, 20, 30, 40, 50, 60], m.label);
    assert.equal(m.batch_loss.length, 60, m.label);
    for (const key of ['t', 'f', 'grad_l2', 'density', 'batch_loss', 'curves']) assert.deepEqual(web.methods[k][key], m[key], `${m.label}: ${key}`);
  }

  // Both curves, each with its own label; the loss plot says it is the full training loss.
  const [full, batch] = ['figure[data-plot="f"]', 'figure[data-plot="batch"]'];
  assert.equal(await page.locator(batch).isVisible(), true);
  assert.match(await page.locator(`${batch} figcaption`).innerText(), /^Minibatch loss fB\(xt\).*noisy measurement, not the training loss/);
  assert.match(await page.locator(`${full} figcaption`).innerText(), /^Full training loss f\(xt\) \(on every training row, at the evaluation points\)\s/);
  assert.match(await page.locator('#summary thead').innerText(), /final full training loss/);
  for (const fig of [full, batch]) assert.ok(await inkFraction(page, `${fig} canvas`) > 0.01, `${fig} blank`);

  // The read-out: at an evaluation step the full loss there; between them the nearest one's.
  const canvas = page.locator(`${full} canvas`);
  const hover = page.locator(`${full} .hover`);
  await canvas.focus();
  const seen = { exact: 0, nearest: 0 };
  for (let press = 0; press < 40 && (seen.exact === 0 || seen.nearest === 0); press++) {
    await page.keyboard.press('ArrowRight');
    await hover.waitFor({ state: 'visible' });
    const text = await hover.innerText();
    const t = Number(/^step (\d+)/.exec(text)?.[1]);
    const m = web.methods[0];
    const line = text.split('\n').find((l) => l.startsWith(m.label)) ?? '';
    const k = m.t.indexOf(t);
    if (k >= 0) {
      assert.equal(line, `${m.label}: ${fmt(m.f[k])}`, text);
      seen.exact++;
    } else {
      const j = m.t.reduce((/** @type {number} */ b, /** @type {number} */ s, /** @type {number} */ i) => (Math.abs(s - t) < Math.abs(m.t[b] - t) ? i : b), 0);
      assert.equal(line, `${m.label}: ${fmt(m.f[j])} (at step ${m.t[j]})`, text);
      seen.nearest++;
    }
  }
  assert.ok(seen.exact > 0 && seen.nearest > 0, JSON.stringify(seen));

  // The minibatch read-out gives that step's own minibatch loss.
  const bc = page.locator(`${batch} canvas`);
  await bc.focus();
  await page.keyboard.press('ArrowRight');
  const text = await page.locator(`${batch} .hover`).innerText();
  const t = Number(/^step (\d+)/.exec(text)?.[1]);
  assert.ok(text.includes(`${web.methods[1].label}: ${fmt(web.methods[1].batch_loss[t])}`), text);

  // A full-batch network run has no minibatch loss, no such figure, and its loss plot's old label.
  const plain = await open(site.browser, site.base, '/?problem=network&hidden=4&m0=adam&m0.lr=0.01&steps=20&target=0');
  await plain.page.waitForFunction(() => window.steepest.result && window.steepest.result.problem.d === 310, null, { timeout: 60000 });
  assert.equal(await plain.page.locator(batch).isVisible(), false);
  assert.match(await plain.page.locator(`${full} figcaption`).innerText(), /^Loss f\(xt\)\s/);
  assert.equal(await plain.page.evaluate(() => window.steepest.result.methods[0].t), undefined);
  assert.deepEqual([...problems, ...plain.problems], []);
  await plain.page.close();
  await page.close();
});
