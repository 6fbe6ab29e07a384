// Browser timing harness: page budgets and the wasm core's speed in headless Chromium on this
// machine. Run: npm run bench:browser (builds the wasm first).
//  - bytes: wasm + JS + CSS of the page, gzipped (budget 400 KB), and the single file (budget
//    1.2 MB without the data sets)
//  - embedded figure: an iframe of the built site in a page of another origin, from the frame's
//    navigation start to its figure drawn (budget 1 s)
//  - first plot: navigation start to the first drawn plot (budget 1 s)
//  - the default sweep on one worker and on the pool of workers (one per core)
//  - the first plot of a rotated quadratic at d = 2000 (goal 3 s), its problem made and its
//    methods run by one worker, and by the pool
//  - redraw: slider change to redrawn plots at the default size (budget 16 ms), as work time
//    (compute + draw, and the compute alone) and as latency from the input event (which also
//    waits for the next frame)
//  - exact L_inf (d = 20, 24, 28) and L_sep (d = 100, 200) through the wasm API
//  - one epoch of the default network on the digits, and 200 Adam steps as the page runs them
//  - the Hessian analysis of networks of 1210 to 1960 parameters
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { root, sh } from '../scripts/setup.mjs';
import { serve } from '../scripts/serve.mjs';
import { start, open } from '../tests/browser/helpers.mjs';
import { servePython } from '../tests/browser/static-server.mjs';

// The weight readers download: the built site (minified modules, the wasm-opt'd page core),
// gzipped. Not part of the default page: embed.js (a blog that embeds a figure loads it), the
// full core (steepest.HASH.js and steepest_bg.HASH.wasm, fetched for networks and the Hessian
// view) and the data sets.
sh('node', ['scripts/build.mjs', '--single']);
const dist = join(root, 'dist');
const files = ['index.html', ...readdirSync(join(dist, 'assets')).filter((f) => /\.(js|css|wasm)$/.test(f) && f !== 'embed.js').map((f) => `assets/${f}`)];
const gz = files.map((f) => [f, gzipSync(readFileSync(join(dist, f)), { level: 9 }).length]);
const isFullCore = (/** @type {string | number} */ f) => /^assets\/steepest(_bg)?\.[0-9a-f]{10}\./.test(String(f));
const total = gz.filter(([f]) => !isFullCore(f)).reduce((a, [, n]) => a + Number(n), 0);
const fullCore = gz.filter(([f]) => isFullCore(f)).reduce((a, [, n]) => a + Number(n), 0);
console.log(`page bytes, gzipped, as built in dist/: ${(total / 1024).toFixed(1)} KB (budget 400 KB); the full core adds ${(fullCore / 1024).toFixed(1)} KB when a network or the Hessian view needs it`);
for (const [f, n] of gz) console.log(`  ${f}: ${(Number(n) / 1024).toFixed(1)} KB${isFullCore(f) ? ' (full core)' : ''}`);
const single = statSync(join(dist, 'steepest.html')).size;
console.log(`single file dist/steepest.html: ${(single / 1024).toFixed(1)} KB uncompressed with both data sets inlined (budget 1 MB; without them, see the build's line above: budget 1.2 MB)`);

const { server, base, browser } = await start();
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// An embedded figure: the built site under a sub-path of Python's http.server, in an iframe of a
// blog page on another origin, with embed.js. Time from the frame's navigation start (its
// performance clock) to its first drawn plot.
{
  const site = await servePython('blog/steepest');
  const blogDir = mkdtempSync(join(tmpdir(), 'steepest-bench-blog-'));
  const blog = await serve(blogDir, 0);
  const src = `${site.url}?embed=1&amp;plot=grad&amp;d=20&amp;rotation=0.5`;
  writeFileSync(join(blogDir, 'post.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><p>Prose.</p><iframe src="${src}" title="Steepest" width="100%" height="400" style="border:0"></iframe><script src="${site.url}assets/embed.js" async></script>`);
  const paint = [];
  for (let i = 0; i < 5; i++) {
    const p = await browser.newPage();
    await p.goto(`http://127.0.0.1:${blog.address().port}/post.html`);
    const frame = await (await p.locator('iframe').elementHandle()).contentFrame();
    await frame.waitForFunction(() => window.steepest && window.steepest.timings.firstPlot, null, { timeout: 30000 });
    paint.push(await frame.evaluate(() => window.steepest.timings.firstPlot));
    await p.close();
  }
  console.log(`embedded figure (built site, another origin) painted after: median ${median(paint).toFixed(0)} ms of ${paint.map((x) => x.toFixed(0)).join(', ')} (budget 1000 ms)`);
  blog.close();
  site.stop();
  rmSync(blogDir, { recursive: true, force: true });
}

const first = [];
for (let i = 0; i < 5; i++) {
  const { page } = await open(browser, base, '/');
  first.push(await page.evaluate(() => window.steepest.timings.firstPlot));
  await page.close();
}
console.log(`first plot after navigation: median ${median(first).toFixed(0)} ms of ${first.map((x) => x.toFixed(0)).join(', ')} (budget 1000 ms)`);

// The default sweep (the sweep preset: 36 cells of 5 problems) on one worker and on the pool
// (www/compute.js: a worker per core, navigator.hardwareConcurrency), as the view times it:
// the median of 3 each.
/** @param {number} [cores] what navigator.hardwareConcurrency says (the machine's when left out) */
async function sweepTime(cores) {
  const times = [];
  let workers = 0;
  for (let i = 0; i < 3; i++) {
    const page = await browser.newPage();
    if (cores) await page.addInitScript((n) => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => n }), cores);
    await page.goto(`${base}/?preset=sweep`);
    await page.waitForFunction(() => window.steepest?.sweeps > 0, null, { timeout: 300000 });
    times.push(Number(/computed in ([\d.]+) s/.exec(await page.locator('#status').getAttribute('title'))[1]));
    workers = page.workers().length;
    await page.close();
  }
  return { seconds: median(times), workers };
}
const one = await sweepTime(1);
const pool = await sweepTime();
console.log(`default sweep (36 cells x 5 problems) in the page: ${one.seconds.toFixed(1)} s on 1 worker, ${pool.seconds.toFixed(1)} s on the pool of ${pool.workers} (${(one.seconds / pool.seconds).toFixed(2)}x; median of 3)`);

// The first plot of a rotated quadratic at d = 2000 (goal 3 s), from navigation start: the
// problem made and its two methods run by one worker, then by the pool (compute.js: each worker
// a part of Q_r and of H, then a method each); the median of 3 each, alternating.
/** @param {number} [cores] what navigator.hardwareConcurrency says (the machine's when left out) */
async function rotatedFirstPlot(cores) {
  const page = await browser.newPage();
  if (cores) await page.addInitScript((n) => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => n }), cores);
  await page.goto(`${base}/?d=2000&rotation=1`);
  await page.waitForFunction(() => window.steepest?.timings.firstPlot, null, { timeout: 300000 });
  const ms = await page.evaluate(() => window.steepest.timings.firstPlot);
  const workers = page.workers().length;
  await page.close();
  return { ms, workers };
}
{
  const alone = [];
  const shared = [];
  let workers = 0;
  for (let i = 0; i < 3; i++) {
    alone.push((await rotatedFirstPlot(1)).ms);
    const p = await rotatedFirstPlot();
    shared.push(p.ms);
    workers = p.workers;
  }
  console.log(`first plot of /?d=2000&rotation=1: ${(median(alone) / 1000).toFixed(1)} s with one worker, ${(median(shared) / 1000).toFixed(1)} s with the pool of ${workers} making the problem and running its methods (goal 3 s; medians of ${alone.map((x) => (x / 1000).toFixed(1)).join(', ')} and ${shared.map((x) => (x / 1000).toFixed(1)).join(', ')} s)`);
}

const { page } = await open(browser, base, '/');
const work = [];
const compute = [];
const latency = [];
for (let k = 0; k < 30; k++) {
  const runs = await page.evaluate(() => window.steepest.runs);
  await page.evaluate((v) => {
    const s = document.querySelector('#ctl-problem-rotation').parentElement.querySelector('input[type=range]');
    s.value = String(v);
    s.dispatchEvent(new Event('input', { bubbles: true }));
  }, 100 + 20 * k);
  await page.waitForFunction((n) => window.steepest.runs > n, runs);
  const t = await page.evaluate(() => window.steepest.timings);
  work.push(t.lastRun);
  compute.push(t.lastCompute);
  latency.push(t.lastEditToDraw);
}
const where = await page.evaluate(() => `${window.steepest.where}; ${window.steepest.refined} refined in the worker`);
console.log(`redraw after a slider change (d = 20, 500 steps, 2 methods + geometry): work median ${median(work).toFixed(1)} ms (budget 16 ms), max ${Math.max(...work).toFixed(1)} ms; of it the computation median ${median(compute).toFixed(1)} ms (${where}), the rest drawing, tables and verdict; input-to-drawn latency median ${median(latency).toFixed(1)} ms`);

const core = await page.evaluate(async () => {
  const m = await import('/www/pkg/steepest.js');
  await m.default();
  const out = {};
  const time = (f) => { const t = performance.now(); const r = f(); return [performance.now() - t, r]; };
  for (const d of [20, 24, 28]) {
    const spec = { problem: { d, rotation: 1, outliers: 2 } };
    const [ms, r] = time(() => m.smoothness(spec, { exact: 'always' }));
    out[`exact L_inf, d = ${d} (whole report, branch and bound)`] = `${ms.toFixed(0)} ms (${r.linf_exact_method})`;
  }
  // The Gray-code enumeration itself, on an indefinite matrix (no branch and bound there).
  for (const d of [20, 24]) {
    const rows = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => Math.cos(i * 7 + j * 7 + i * j)));
    const sym = rows.map((r, i) => r.map((v, j) => (v + rows[j][i]) / 2));
    const [ms, r] = time(() => m.smoothness(JSON.stringify(sym), { exact: 'always' }));
    out[`exact L_inf, d = ${d} (indefinite, Gray code)`] = `${ms.toFixed(0)} ms (${r.linf_exact_method})`;
  }
  for (const d of [100, 200]) {
    const spec = { problem: { d, rotation: 1, outliers: Math.floor(d / 10) } };
    const [ms, r] = time(() => m.smoothness(spec, { exact: 'never' }));
    out[`smoothness report with L_sep, d = ${d}`] = `${ms.toFixed(0)} ms (gap ${r.gap.toExponential(1)})`;
  }
  // One epoch of the default MLP on the digits: 44 minibatches of 32; with fewer steps than
  // run.eval_points (100) every step is an evaluation point, so the full training objective is
  // recorded at every step.
  if (!m.hasDataset('digits')) m.registerDataset('digits', new Uint8Array(await (await fetch('/data/digits.bin')).arrayBuffer()));
  const epoch = { problem: { kind: 'network', hidden: 16 }, methods: [{ kind: 'adam', lr: 0.01 }], run: { steps: 44, target: 0, batch: 32 } };
  const [ms] = time(() => m.run(epoch));
  out['one epoch of the 16-unit MLP on the digits (Adam, batch 32, full loss recorded per step)'] = `${ms.toFixed(0)} ms`;
  // The same spec as benches/network.rs's page run (200 Adam steps, 101 evaluation points), for
  // wasm against native at equal work: the median of 5.
  const page = { ...epoch, run: { ...epoch.run, steps: 200 } };
  const runs200 = [];
  for (let i = 0; i < 5; i++) runs200.push(time(() => m.run(page))[0]);
  runs200.sort((a, b) => a - b);
  out['200 Adam steps of the 16-unit MLP as the page runs them (101 evaluation points; criterion: adam_digits_mlp16/page run, 101 eval points)'] = `${runs200[2].toFixed(0)} ms (median of 5)`;
  // The Hessian analysis (train to the checkpoint, dense Hessian, spectrum, rotated twin, bounds)
  // of the digits-hessian preset, then of nets of about 1500 and 2000 parameters.
  const preset = m.presets().find((p) => p.name === 'digits-hessian').spec;
  const runs = [
    ['16 units, 1210 parameters (the digits-hessian preset, with its 8-point eigenvalue track)', {}, preset.analysis.track],
    ['16 units, 1210 parameters, no track', {}, 0],
    ['16 + 16 units, 1482 parameters, no track', { hidden2: 16 }, 0],
    ['26 units, 1960 parameters, no track', { hidden: 26 }, 0],
    ['26 units, 1960 parameters, 8-point track', { hidden: 26 }, 8],
  ];
  for (const [label, problem, track] of runs) {
    const spec = { ...preset, problem: { ...preset.problem, ...problem }, analysis: { ...preset.analysis, track } };
    const [t, a] = time(() => m.hessianAnatomy(spec));
    out[`Hessian analysis, ${label}`] = `${(t / 1000).toFixed(2)} s (d = ${a.d})`;
  }
  return out;
});
for (const [k, v] of Object.entries(core)) console.log(`${k}: ${v}`);
await browser.close();
server.close();
