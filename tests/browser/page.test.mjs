// @ts-check
// The playground in headless Chromium, as a reader uses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { useSite, open, inkFraction, root, startHeavyRun } from './helpers.mjs';

const site = useSite();

/** The CLI's result for `spec`. @param {unknown} spec */
function cli(spec) {
  const out = execFileSync(join(root, 'target/release/steepest'), ['run', '--spec', '-'], { input: JSON.stringify(spec) });
  return JSON.parse(out.toString());
}

test('the page loads with no console errors and draws every plot', async () => {
  const { page, problems } = await open(site.browser, site.base, '/');
  for (const plot of ['f', 'grad', 'density', 'bounds']) {
    const ink = await inkFraction(page, `figure[data-plot="${plot}"] canvas`);
    assert.ok(ink > 0.01, `${plot} plot looks blank (${ink})`);
  }
  assert.equal(await page.locator('#summary tbody tr').count(), 2);
  assert.match(await page.locator('#geometry').textContent(), /ρ_diag/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the server sends wasm as application/wasm, gzipped to a client that accepts it, and refuses paths outside the site', async () => {
  const wasm = await fetch(`${site.base}/www/pkg/steepest_bg.wasm`);
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const file = readFileSync(join(root, 'www/pkg/steepest_page_bg.wasm'));
  /** The raw response to a GET with these request headers. @param {Record<string, string>} headers */
  const raw = (headers) => new Promise((resolve, reject) => {
    http.get(`${site.base}/www/pkg/steepest_page_bg.wasm`, { headers }, (res) => {
      /** @type {Buffer[]} */
      const parts = [];
      res.on('data', (b) => parts.push(b));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(parts) }));
    }).on('error', reject);
  });
  const zipped = /** @type {{ encoding?: string, body: Buffer }} */ (await raw({ 'accept-encoding': 'gzip, deflate, br' }));
  assert.equal(zipped.encoding, 'gzip');
  assert.ok(zipped.body.length < file.length / 2, `${zipped.body.length} bytes gzipped of ${file.length}`);
  assert.ok(gunzipSync(zipped.body).equals(file));
  const plain = /** @type {{ encoding?: string, body: Buffer }} */ (await raw({}));
  assert.equal(plain.encoding, undefined);
  assert.ok(plain.body.equals(file));
  const outside = await fetch(`${site.base}/%2e%2e/%2e%2e/etc/passwd`);
  assert.notEqual(outside.status, 200);
});

test('a URL with settings gives exactly the numbers the CLI prints for the same spec', async () => {
  const query = '?d=12&rotation=0.5&seed=7&steps=200&m0=gd&m1=sign_gd&m2=adam&m2.tune=true&m3=lion&m3.lr=0.003';
  const { page } = await open(site.browser, site.base, `/${query}`);
  const spec = await page.evaluate(() => window.steepest.spec);
  assert.equal(spec.problem.d, 12);
  assert.equal(spec.methods.length, 4);
  const web = await page.evaluate(() => JSON.stringify(window.steepest.result));
  // Both sides print shortest round-trip decimals: equal JSON means bit-identical doubles.
  assert.deepEqual(JSON.parse(web), cli(spec));
  await page.close();
});

test('moving a control re-runs, redraws and updates the URL without adding history entries', async () => {
  const { page } = await open(site.browser, site.base, '/');
  const runs = await page.evaluate(() => window.steepest.runs);
  const historyLength = await page.evaluate(() => history.length);
  await page.fill('#ctl-problem-rotation', '0.4');
  await page.press('#ctl-problem-rotation', 'Tab');
  await page.waitForFunction((n) => window.steepest.runs > n, runs);
  assert.match(page.url(), /[?&]rotation=0\.4(&|$)/);
  assert.equal(await page.evaluate(() => window.steepest.spec.problem.rotation), 0.4);
  // The slider moves the same value.
  const slider = page.locator('#ctl-problem-rotation').locator('..').locator('input[type=range]');
  await slider.evaluate((s) => { /** @type {HTMLInputElement} */ (s).value = '800'; s.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForFunction(() => window.steepest.spec.problem.rotation === 0.8);
  await page.waitForFunction(() => /rotation=0\.8/.test(location.search));
  assert.equal(await page.evaluate(() => history.length), historyLength);
  await page.close();
});

test('an out-of-range edit is refused with a message naming the field and range', async () => {
  const { page } = await open(site.browser, site.base, '/');
  await page.fill('#ctl-problem-d', '5000');
  await page.press('#ctl-problem-d', 'Tab');
  const err = page.locator('#ctl-problem-d-err');
  await err.waitFor();
  assert.match(await err.textContent(), /problem\.d.*1 to 2000/);
  assert.equal(await page.evaluate(() => window.steepest.spec.problem.d), 20);
  await page.close();
});

test('bad URL parameters are named in a dismissible notice and only they fall back', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?d=99999&bogus=1&rotation=0.2&m0=gd&m0.lr=-1&steps=ten');
  const notice = page.locator('.notice');
  assert.equal(await notice.count(), 1);
  const text = await notice.textContent();
  for (const expected of [/d = 99999.*1 to 2000/, /unknown parameter bogus/, /m0\.lr/, /steps = ten/]) assert.match(text, expected);
  const spec = await page.evaluate(() => window.steepest.spec);
  assert.equal(spec.problem.d, 20);
  assert.equal(spec.problem.rotation, 0.2);
  assert.ok(await inkFraction(page, 'figure[data-plot="f"] canvas') > 0.01);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  assert.equal(await page.locator('.notice').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('script in any parameter stays text and never runs', async () => {
  const payload = encodeURIComponent('<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>');
  const { page } = await open(site.browser, site.base, `/?m0=gd&m0.label=${payload}&${payload}=1&d=${payload}&matrix=${payload}`);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => /** @type {any} */ (window).__xss), undefined);
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.locator('#controls script, #notices script, #summary script').count(), 0);
  // The label is shown as text.
  assert.match(await page.locator('#summary tbody').textContent(), /<img src=x onerror=/);
  await page.close();
});

test('embed mode renders one figure inside an iframe of a plain page', async () => {
  const { page } = await open(site.browser, site.base, '/tests/browser/embed-host.html', { waitReady: false });
  const frame = page.frameLocator('iframe');
  const handle = await page.waitForSelector('iframe');
  const inner = await handle.contentFrame();
  await inner.waitForFunction(() => window.steepest && window.steepest.ready, null, { timeout: 30000 });
  assert.equal(await inner.evaluate(() => document.body.classList.contains('embed')), true);
  assert.equal(await frame.locator('#controls').isVisible(), false);
  assert.equal(await frame.locator('figure[data-plot="grad"]').isVisible(), true);
  assert.equal(await frame.locator('figure[data-plot="f"]').isVisible(), false);
  const ink = await inner.evaluate(() => {
    const c = /** @type {HTMLCanvasElement} */ (document.querySelector('figure[data-plot="grad"] canvas'));
    const d = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d')).getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0]) n++;
    return n / (d.length / 4);
  });
  assert.ok(ink > 0.01);
  const link = await frame.locator('#open-full').getAttribute('href');
  assert.ok(!/embed/.test(link) && /d=10/.test(link), link);
  await page.close();
  // A heat map of the Hessian analysis embeds on its own; the figure brings its view.
  const { page: heat, problems } = await open(site.browser, site.base, '/?embed=1&plot=anatomy-hessian&problem=network&dataset=breast_cancer&hidden=4&steps=10&target=0', { waitReady: false });
  await heat.waitForFunction(() => window.steepest && window.steepest.anatomies >= 1, null, { timeout: 30000 });
  assert.match(heat.url(), /view=hessian/);
  assert.equal(await heat.locator('figure[data-anatomy="hessian"]').isVisible(), true);
  assert.equal(await heat.locator('figure[data-anatomy="spectrum"]').isVisible(), false);
  assert.ok(await inkFraction(heat, 'figure[data-anatomy="hessian"] canvas') > 0.01);
  assert.deepEqual(problems, []);
  await heat.close();
});

test('at phone width nothing overflows horizontally', async () => {
  const { page } = await open(site.browser, site.base, '/?m0=gd&m1=sign_gd&m2=adam', { viewport: { width: 375, height: 800 } });
  await page.click('#settings-open'); // the controls' drawer
  const overflow = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    // A wide table scrolls inside its own box (.table-scroll), which must fit.
    const bad = [...document.querySelectorAll('#controls *, .plots *, .tables *')]
      .filter((e) => /** @type {HTMLElement} */ (e).offsetParent !== null && e.getBoundingClientRect().right > w + 1)
      .filter((e) => !e.parentElement?.closest('.table-scroll'))
      .map((e) => e.id || e.className || e.tagName);
    return { scroll: document.documentElement.scrollWidth, w, bad: bad.slice(0, 5) };
  });
  assert.ok(overflow.scroll <= overflow.w, JSON.stringify(overflow));
  assert.deepEqual(overflow.bad, []);
  await page.screenshot({ path: join(root, 'target', 'phone.png'), fullPage: true });
  await page.close();
});

test('every control is labelled and reachable by keyboard', async () => {
  const { page } = await open(site.browser, site.base, '/');
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('#controls input, #controls select, #controls textarea')]
    .filter((e) => !e.getAttribute('aria-label') && !(e.id && document.querySelector(`label[for="${e.id}"]`)))
    .map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(unlabelled, []);
  // Tab from the top reaches the first control after the header buttons.
  await page.keyboard.press('Tab'); // skip link
  let reached = false;
  for (let i = 0; i < 8 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.id === 'ctl-problem-kind');
  }
  assert.ok(reached, 'the problem kind select is reached by Tab');
  await page.close();
});

test('heavy runs go to a worker with progress, and Cancel stops them', async () => {
  const { page } = await open(site.browser, site.base, '/');
  await startHeavyRun(page);
  // The page still answers while the worker computes.
  const t = Date.now();
  await page.evaluate(() => 1 + 1);
  assert.ok(Date.now() - t < 500);
  await page.click('#cancel');
  await page.locator('#progress').waitFor({ state: 'hidden' });
  assert.match(await page.locator('#status').textContent(), /Cancelled/);
  // A moderate run completes in the worker.
  const runs = await page.evaluate(() => window.steepest.runs);
  await page.fill('#ctl-problem-d', '300');
  await page.press('#ctl-problem-d', 'Tab');
  await page.waitForFunction((n) => window.steepest.runs > n, runs, { timeout: 60000 });
  assert.equal(await page.evaluate(() => window.steepest.result.problem.d), 300);
  await page.close();
});

test('exact L_inf arrives on the main thread within its small budget, or from the worker', async () => {
  const { page } = await open(site.browser, site.base, '/?d=40&rotation=0.3');
  assert.equal(await page.evaluate(() => window.steepest.where), 'main');
  await page.waitForFunction(() => window.steepest.report && window.steepest.report.linf_exact !== null, null, { timeout: 30000 });
  const r = await page.evaluate(() => window.steepest.report);
  assert.ok(r.linf_lower <= r.linf_exact * (1 + 1e-12) && r.linf_exact <= r.linf_upper * (1 + 1e-12));
  // Two outliers over a flat bulk: identity plus rank 2, whose L_inf is exact at any rotation.
  assert.match(await page.locator('#geometry').textContent() ?? '', /exact: identity plus rank 2: zonotope vertices/);
  await page.close();
});

test('a preset loads its spec and story, and shows the measured outcome beside the predicted one', async () => {
  const { page } = await open(site.browser, site.base, '/');
  const runs = await page.evaluate(() => window.steepest.runs);
  await page.selectOption('#preset', 'outliers-rotated');
  await page.waitForFunction((n) => window.steepest.runs > n, runs);
  assert.match(page.url(), /preset=outliers-rotated/);
  assert.equal(await page.evaluate(() => window.steepest.spec.problem.rotation), 1);
  assert.match(await page.locator('#story').textContent(), /sign GD loses its edge/);
  // Ceiling above 1, but the gradients sign GD meets are sparse: the prediction and the
  // measurement both say GD.
  const c = await page.evaluate(() => window.steepest.result.comparison);
  assert.ok(c.ceiling > 1 && c.predicted < 1 && c.measured < 1 && c.measure === 'steps', JSON.stringify(c));
  assert.match(await page.locator('#verdict').textContent() ?? '', /Ceiling d L₂ \/ L∞.*Predicted .*GD should need fewer steps.*Measured: GD needed \d+ steps and sign GD \d+.*GD wins, as predicted/);
  // The story's claims are checked on the results on screen, by the core, as the CLI checks them.
  await page.waitForFunction(() => document.querySelectorAll('#story .story-claims li.holds').length === 3);
  assert.equal(await page.locator('#story .story-claims li.fails').count(), 0);
  assert.match(await page.locator('#story .story-claims').textContent() ?? '', /✓ GD \(1\/L\) reaches the target in fewer steps than sign GD.*\(\d+ steps against \d+ steps\).*✓ the predicted advantage of sign GD is below 1/);
  // Back to custom settings: the story goes, the settings stay.
  await page.selectOption('#preset', '');
  assert.equal(await page.locator('#story').isVisible(), false);
  assert.doesNotMatch(page.url(), /preset=/);
  await page.close();
});

test('the sweep map runs in a worker, draws its three heat maps and the scatter, and matches the CLI', async () => {
  const { page } = await open(site.browser, site.base, '/?view=sweep&d=12&outliers=2&steps=3000&sweep.spread_points=3&sweep.rotation_points=3&sweep.problems=2&sweep.spread_max=5');
  await page.waitForFunction(() => window.steepest.sweeps >= 1, null, { timeout: 30000 });
  for (const which of ['measured', 'predicted', 'ceiling', 'scatter']) {
    assert.ok(await inkFraction(page, `figure[data-sweep="${which}"] canvas`) > 0.01, `${which} blank`);
  }
  assert.equal(await page.locator('#runs-view').isVisible(), false);
  assert.match(await page.locator('#status').textContent() ?? '', /prediction ranks the cells with Spearman/);
  const spec = await page.evaluate(() => window.steepest.spec);
  const web = await page.evaluate(() => JSON.stringify(window.steepest.sweep));
  const cli = execFileSync(join(root, 'target/release/steepest'), ['sweep', '--spec', '-'], { input: JSON.stringify(spec) }).toString();
  assert.deepEqual(JSON.parse(web), JSON.parse(cli));
  // Hovering a cell reads it out.
  const box = await page.locator('figure[data-sweep="measured"] canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.locator('figure[data-sweep="measured"] .hover').waitFor({ state: 'visible' });
  assert.match(await page.locator('figure[data-sweep="measured"] .hover').textContent(), /spread .*measured .*predicted .*ceiling/);
  await page.close();
});

test('the 2-D view draws, plays, and a click moves the start point', async () => {
  const { page } = await open(site.browser, site.base, '/?view=geometry2d&problem=quad2d&x0=2,1.5&m0=gd&m1=sign_gd&m2=coordinate&steps=40&target=0');
  const canvas = 'figure[data-geo="2d"] canvas';
  assert.ok(await inkFraction(page, canvas) > 0.01);
  await page.click('#geo-step');
  assert.equal(await page.locator('#geo-t-out').textContent(), '1');
  await page.click('#geo-play');
  await page.waitForFunction(() => Number(/** @type {HTMLElement} */ (document.querySelector('#geo-t-out')).textContent) >= 5);
  await page.click('#geo-play');
  assert.match(await page.locator('#geo-constants').textContent(), /L₂ = 10.*L∞/);
  const runs = await page.evaluate(() => window.steepest.runs);
  await page.locator(canvas).scrollIntoViewIfNeeded();
  const box = await page.locator(canvas).boundingBox();
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.7);
  await page.waitForFunction((n) => window.steepest.runs > n, runs);
  const x0 = await page.evaluate(() => window.steepest.spec.problem.x0);
  assert.equal(x0.length, 2);
  assert.ok(x0[0] !== 2 || x0[1] !== 1.5);
  assert.match(page.url(), /x0=/);
  await page.close();
});

test('every preset link loads its spec, and one preset of each view shows its measured and predicted numbers', async () => {
  const list = JSON.parse(execFileSync(join(root, 'target/release/steepest'), ['presets']).toString());
  // Every preset through the wasm API in one page: the page's presets are the CLI's, and each
  // preset's link decodes to exactly its spec, with nothing left over.
  const { page: api } = await open(site.browser, site.base, '/');
  const checked = await api.evaluate(async (core) => {
    const m = (await import(core)).wasm;
    return m.presets().map((/** @type {any} */ p) => {
      const { spec, issues } = m.specFromQuery(p.query);
      const methods = m.resolveSpec(p.spec).methods.map((/** @type {any} */ x) => `${x.kind}/${x.rule}`);
      return { name: p.name, title: p.title, view: p.view, spec: p.spec, decoded: spec, issues, methods };
    });
  }, '/www/core.js');
  await api.close();
  const summary = (/** @type {any} */ p) => ({ name: p.name, title: p.title, view: p.view, spec: p.spec });
  assert.deepEqual(checked.map(summary), list.map(summary));
  const ownView = (/** @type {string} */ v) => (['sweep', 'geometry2d', 'hessian'].includes(v) ? v : 'runs');
  for (const p of checked) {
    assert.deepEqual(p.decoded, p.spec, p.name);
    assert.deepEqual(p.issues, [], p.name);
    // A quadratic preset of the runs view has the pair of theory steps its verdict compares.
    if (ownView(p.view) === 'runs' && p.spec.problem.kind !== 'network') assert.ok(p.methods.includes('gd/theory') && p.methods.includes('sign_gd/theory'), `${p.name}: ${p.methods}`);
  }
  // Loading a link: the first preset of each view (faster tests draw each view's plots in full).
  const firsts = list.filter((/** @type {any} */ p, /** @type {number} */ k) => list.findIndex((/** @type {any} */ q) => q.view === p.view) === k);
  for (const p of firsts) {
    const { page, problems } = await open(site.browser, site.base, `/?preset=${p.name}`);
    assert.match(await page.locator('#story').textContent(), new RegExp(p.title.slice(0, 20).replace(/[()]/g, '.')));
    const view = ownView(p.view);
    assert.equal(await page.locator(`#${view}-view`).isVisible(), true, p.name);
    if (view === 'sweep') {
      await page.waitForFunction(() => window.steepest.sweeps >= 1, null, { timeout: 30000 });
      const s = await page.evaluate(() => window.steepest.sweep);
      // As in the crate's test of the default sweep (presets.rs): the ceiling's Spearman 0.56-0.75 over seeds 1-8.
      assert.ok(s.ceiling.spearman >= 0.5 && s.predicted.winners >= 0.75, `${p.name}: ${JSON.stringify([s.ceiling, s.predicted])}`);
      assert.match(await page.locator('#status').textContent() ?? '', /prediction ranks the cells with Spearman \d.*names the winner in \d+% of them; the ceiling/);
    } else if (view === 'hessian') {
      await page.waitForFunction(() => window.steepest.anatomies >= 1, null, { timeout: 60000 });
      assert.match(await page.locator('#anatomy').textContent(), /ρ_diag of layer 1.*ceiling d L₂ \/ L∞/s);
    } else if (view === 'geometry2d') {
      assert.match(await page.locator('#geo-constants').textContent(), /ceiling d L₂ \/ L∞ = \d/);
    } else if (p.spec.problem.kind === 'network') {
      assert.match(await page.locator('#summary').textContent(), /accuracy \d+\.\d% train, \d+\.\d% test/);
    } else {
      assert.match(await page.locator('#verdict').textContent() ?? '', /Ceiling d L₂ \/ L∞ \(perfectly dense gradients\): [\d.]+\. Predicted .*: [\d.]+, .*Measured/);
      if (p.name === 'separable-vs-linf') {
        const geometry = await page.locator('#geometry').textContent();
        assert.match(geometry, /L∞ = ‖H‖∞,1\s*16 \(exact/);
        assert.match(geometry, /L_sep \(certified\)\s*18\.09/);
      }
    }
    assert.deepEqual(problems, [], p.name);
    await page.close();
  }
});

test('a network on the shipped digits trains in the worker and reports its accuracy', async () => {
  const { page } = await open(site.browser, site.base, '/?problem=network&hidden=0&m0=adam&m0.lr=0.01&m1=gd&m1.lr=0.5&steps=150&target=0');
  await page.waitForFunction(() => window.steepest.result && window.steepest.result.problem.d === 650, null, { timeout: 60000 });
  const result = await page.evaluate(() => window.steepest.result);
  assert.ok(result.methods[0].accuracy.test > 0.9, JSON.stringify(result.methods[0].accuracy));
  assert.match(await page.locator('#summary').textContent(), /accuracy \d+\.\d% train, \d+\.\d% test/);
  const spec = await page.evaluate(() => window.steepest.spec);
  assert.deepEqual(result, cli(spec));
  // The curves come first; the Hessian's geometry follows from the worker.
  await page.waitForFunction(() => window.steepest.report, null, { timeout: 30000 });
  assert.match(await page.locator('#geometry').textContent(), /local at x0.*ρ_diag/s);
  await page.close();
});

test('the Hessian view analyses a checkpoint like the CLI, reads out a cell, and names a bad checkpoint', async () => {
  const query = '?view=hessian&problem=network&dataset=breast_cancer&hidden=4&hidden2=3&m0=adam&m0.lr=0.01&steps=30&target=0&analysis.step=20';
  const { page, problems } = await open(site.browser, site.base, `/${query}`);
  await page.waitForFunction(() => window.steepest.anatomies >= 1, null, { timeout: 30000 });
  const spec = await page.evaluate(() => window.steepest.spec);
  const web = await page.evaluate(() => window.steepest.anatomy);
  const out = JSON.parse(execFileSync(join(root, 'target/release/steepest'), ['anatomy', '--spec', '-'], { input: JSON.stringify(spec) }).toString());
  delete out.seconds;
  assert.deepEqual(web, out);
  assert.equal(web.step, 20);
  assert.deepEqual(web.blocks.map((/** @type {{ len: number }} */ b) => b.len), [4 * 31, 3 * 5, 2 * 4]);
  assert.match(await page.locator('#anatomy').textContent(), /after 20 steps of Adam/);
  const canvas = 'figure[data-anatomy="hessian"] canvas';
  await page.locator(canvas).scrollIntoViewIfNeeded();
  const box = await page.locator(canvas).boundingBox();
  const frame = await page.evaluate(() => ({ ...window.steepest.anatomy.hessian.heat }));
  assert.ok(frame.size > 0);
  await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.3);
  await page.locator('figure[data-anatomy="hessian"] .hover').waitFor({ state: 'visible' });
  assert.match(await page.locator('figure[data-anatomy="hessian"] .hover').textContent(), /rows \d+–\d+, columns \d+–\d+ .*largest \|H_ij\| there/);
  await page.fill('#ctl-analysis-step', '31');
  await page.press('#ctl-analysis-step', 'Tab');
  await page.waitForFunction(() => /analysis\.step/.test(/** @type {HTMLElement} */ (document.getElementById('status')).textContent ?? ''));
  assert.match(await page.locator('#status').textContent(), /0 to run\.steps = 30/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a network beyond the dense Hessian runs without its geometry, and the Hessian view estimates its spectrum by Lanczos', async () => {
  const query = '?problem=network&dataset=breast_cancer&hidden=64&hidden2=30&m0=adam&m0.lr=0.01&steps=20&target=0';
  const { page, problems } = await open(site.browser, site.base, `/${query}`);
  await page.waitForFunction(() => window.steepest.result, null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.steepest.result.problem.d), 64 * 31 + 30 * 65 + 2 * 31);
  assert.match(await page.locator('#geometry').textContent(), /Not measured: the dense Hessian is formed for at most 2000 parameters/);
  await page.click('#tab-hessian');
  await page.waitForFunction(() => window.steepest.anatomies >= 1, null, { timeout: 30000 });
  assert.match(await page.locator('#anatomy').textContent(), /stochastic Lanczos quadrature/);
  assert.ok(await inkFraction(page, 'figure[data-anatomy="spectrum"] canvas') > 0.01);
  assert.equal(await page.locator('figure[data-anatomy="hessian"]').isVisible(), false);
  assert.deepEqual(problems, []);
  await page.close();
});
