// @ts-check
// A large rotated quadratic is made by the pool of workers (www/compute.js: each worker a part of
// Q_r's columns, then of H's rows, put together in the workers that run its methods, a method
// each), and the page then shows the CLI's run and report, as it does with one worker; a second
// run of the same problem makes nothing again. navigator.hardwareConcurrency is set before the
// page loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useSite, root } from './helpers.mjs';

const site = useSite();

// Above the pool's threshold (d = 256), small enough to be quick.
const PATH = '/?d=300&rotation=0.9&seed=11&steps=60';

/** The CLI's JSON for a spec, without the times taken.
 * @param {string} command @param {object} spec */
function cli(command, spec) {
  return plain(JSON.parse(execFileSync(join(root, 'target/release/steepest'), [command, '--spec', '-'], { input: JSON.stringify(spec) }).toString()));
}

/** @param {unknown} v */
const plain = (v) => JSON.parse(JSON.stringify(v, (key, value) => key === 'seconds' ? undefined : value));

/** The page at PATH on `cores` cores, once its run and report are in: what it shows, how many
 * workers it started, and the tasks posted to them so far (`tasks()`). @param {number} cores */
async function shown(cores) {
  const page = await site.browser.newPage();
  /** @type {string[]} */
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript((n) => {
    Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => n });
    const post = Worker.prototype.postMessage;
    /** @type {string[]} */
    const tasks = (/** @type {any} */ (window).tasks = []);
    Worker.prototype.postMessage = function (/** @type {any} */ msg, /** @type {any} */ ...rest) {
      if (msg && msg.task) tasks.push(msg.task);
      return post.call(this, msg, ...rest);
    };
  }, cores);
  await page.goto(site.base + PATH);
  await page.waitForFunction(() => window.steepest.result?.problem?.d === 300 && window.steepest.report?.d === 300, null, { timeout: 120000 });
  const got = await page.evaluate(() => ({ spec: window.steepest.spec, result: window.steepest.result, report: window.steepest.report }));
  const tasks = () => page.evaluate(() => /** @type {string[]} */ (/** @type {any} */ (window).tasks).slice());
  return { page, problems, tasks, workers: page.workers().length, ...got };
}

/** How many times each task was posted. @param {string[]} tasks */
const counts = (tasks) => tasks.reduce((c, t) => ({ ...c, [t]: (c[t] ?? 0) + 1 }), /** @type {Record<string, number>} */ ({}));

test('a rotated quadratic made by two or three workers, its two methods run by two, gives the CLI\'s run and report, as one worker does', async () => {
  for (const cores of [1, 2, 3]) {
    const { page, problems, tasks, workers, spec, result, report } = await shown(cores);
    assert.equal(workers, cores, `${cores} cores: every worker made a part`);
    const posted = counts(await tasks());
    assert.equal(posted.rotationPart, cores > 1 ? cores : undefined, `${cores} cores: ${JSON.stringify(posted)}`);
    assert.equal(posted.hessianPart, cores > 1 ? cores : undefined, `${cores} cores: ${JSON.stringify(posted)}`);
    assert.equal(posted.keepRotated, cores > 1 ? 2 : undefined, `${cores} cores: ${JSON.stringify(posted)}`);
    assert.equal(posted.runMethods, cores > 1 ? 2 : undefined, `${cores} cores: ${JSON.stringify(posted)}`);
    assert.equal(posted.assembleRun, cores > 1 ? 1 : undefined, `${cores} cores: ${JSON.stringify(posted)}`);
    assert.equal(posted.run, cores > 1 ? undefined : 1, `${cores} cores: ${JSON.stringify(posted)}`);
    assert.deepEqual(plain(result), cli('run', spec), `${cores} cores: the run`);
    assert.deepEqual(plain(report), cli('smoothness', spec), `${cores} cores: the report`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('another run of the same problem is not made again', async () => {
  const { page, tasks } = await shown(2);
  const before = await page.evaluate(() => window.steepest.runs);
  const first = (await tasks()).length;
  await page.fill('#ctl-run-steps', '80');
  await page.press('#ctl-run-steps', 'Tab');
  await page.waitForFunction((n) => window.steepest.runs > n && window.steepest.result.methods[0].f.length > 61, before, { timeout: 60000 });
  const then = counts((await tasks()).slice(first));
  // The two workers that run the methods were asked whether they keep the problem before the
  // run, the first before the report, and they did.
  assert.equal(then.rotationPart, undefined, JSON.stringify(then));
  assert.equal(then.hessianPart, undefined, JSON.stringify(then));
  assert.equal(then.runMethods, 2, JSON.stringify(then));
  assert.equal(then.assembleRun, 1, JSON.stringify(then));
  assert.equal(then.keeps, 2 + (then.smoothness ?? 0), JSON.stringify(then));
  await page.close();
});
