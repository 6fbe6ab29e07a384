// @ts-check
// Every export of every view, downloaded through the menu as a reader does and checked: PNGs at
// twice the figure's size with its title above and ink in the plot, CSVs with a header and one
// row per datum (the sweep's byte for byte as the CLI writes it), JSON that is not null.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useSite, open, root } from './helpers.mjs';

const site = useSite();

/** Fields of one CSV line (quoted fields may hold commas and doubled quotes).
 * @param {string} line */
function fields(line) {
  /** @type {string[]} */
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

/** The rows each CSV export must have, from the page's own data. Keyed by export id.
 * @param {import('playwright-core').Page} page */
function expectedRows(page) {
  return page.evaluate(() => {
    const s = /** @type {any} */ (window.steepest);
    // One row per step: a minibatch run's steps run to its last evaluation point (or to the
    // minibatch loss of the step it diverged at).
    const last = (/** @type {any} */ m) => (m.t ? Math.max(m.t[m.t.length - 1], (m.batch_loss?.length ?? 0) - 1) : m.f.length - 1);
    const steps = s.result ? s.result.methods.reduce((/** @type {number} */ n, /** @type {any} */ m) => n + last(m) + 1, 0) : 0;
    const r = s.report;
    return {
      csv: steps,
      trajectories: steps,
      'sweep-csv': s.sweep?.cells.length,
      'csv-batch': s.result?.methods.reduce((/** @type {number} */ n, /** @type {any} */ m) => n + (m.batch_loss?.length ?? 0), 0),
      'csv-accuracy': s.result?.methods.reduce((/** @type {number} */ n, /** @type {any} */ m) => n + (m.curves ? m.curves.t.length : 0), 0),
      'csv-nuclear': s.result?.methods.reduce((/** @type {number} */ n, /** @type {any} */ m) => n + (m.nuclear_rank ? m.nuclear_rank.t.length : 0), 0),
      'csv-bounds': r ? r.lower_bounds.length + r.upper_bounds.length + (r.linf_exact != null ? 1 : 0) + (r.l_sep != null ? 1 : 0) + 1 : 0,
      'csv-anatomy-hessian': s.anatomy?.hessian ? s.anatomy.hessian.heat.size ** 2 : 0,
      'csv-anatomy-rotated': s.anatomy?.rotated ? s.anatomy.rotated.heat.size ** 2 : 0,
      'csv-anatomy-track': s.anatomy?.track.length,
      'csv-anatomy-spectrum': s.anatomy?.histogram.counts.length,
    };
  });
}

/** Downloads every entry the export menu offers on this view and checks each file.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<string[]>} the ids downloaded */
async function downloadAll(page) {
  const menu = page.locator('details.menu');
  await menu.locator('summary').click();
  const ids = await menu.locator('.menu-items button:visible').evaluateAll((bs) => bs.map((b) => /** @type {HTMLElement} */ (b).dataset.export ?? ''));
  // Escape closes the menu.
  await page.keyboard.press('Escape');
  assert.equal(await menu.evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open), false, 'Escape closes the menu');
  const rows = /** @type {Record<string, number>} */ (await expectedRows(page));
  for (const id of ids) {
    await menu.locator('summary').click();
    const [download] = await Promise.all([page.waitForEvent('download'), menu.locator(`button[data-export="${id}"]`).click()]);
    assert.equal(await menu.evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open), false, `${id}: the menu closes after a choice`);
    const bytes = await readFile(/** @type {string} */ (await download.path()));
    const file = download.suggestedFilename();
    assert.ok(bytes.length > 0, `${file} is empty`);
    if (file.endsWith('.png')) await checkPng(page, id.slice('png-'.length), bytes);
    else if (file.endsWith('.csv')) {
      const lines = bytes.toString('utf8').trimEnd().split('\n');
      const header = fields(lines[0]);
      assert.ok(header.length >= 2 && header.every((h) => /^[a-z_0-9]+$/.test(h)), `${file}: header ${lines[0]}`);
      assert.ok(id in rows, `${id}: no expected row count`);
      assert.equal(lines.length - 1, rows[id], `${file}: rows`);
      for (const l of lines.slice(1)) assert.equal(fields(l).length, header.length, `${file}: ${l}`);
    } else {
      assert.ok(file.endsWith('.json'), file);
      const value = JSON.parse(bytes.toString('utf8'));
      assert.ok(value !== null && typeof value === 'object', `${file} is ${value}`);
    }
  }
  return ids;
}

/** A PNG of figure `name`: the signature, twice the canvas's CSS size (plus the title band),
 * and ink in the plot below the title.
 * @param {import('playwright-core').Page} page
 * @param {string} name
 * @param {Buffer} bytes */
async function checkPng(page, name, bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${name}: PNG signature`);
  const [w, h] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
  const probe = await page.evaluate(async ({ name, data }) => {
    /** @type {{ FIGURES: import('../../www/types').FigureDef[] }} */
    const figures = await import(/** @type {string} */ ('/www/figures.js'));
    const def = /** @type {import('../../www/types').FigureDef} */ (figures.FIGURES.find((f) => f.name === name));
    const canvas = /** @type {HTMLCanvasElement} */ (document.querySelector(`${def.selector} canvas`));
    const img = await createImageBitmap(new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], { type: 'image/png' }));
    const c = document.createElement('canvas');
    [c.width, c.height] = [img.width, img.height];
    const ctx = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d'));
    ctx.drawImage(img, 0, 0);
    /** Fraction of non-white pixels in rows [y0, y1). @param {number} y0 @param {number} y1 */
    const ink = (y0, y1) => {
      const { data: px } = ctx.getImageData(0, y0, c.width, y1 - y0);
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] < 250 || px[i + 1] < 250 || px[i + 2] < 250) n++;
      return n / (px.length / 4);
    };
    return { cssW: canvas.clientWidth, cssH: canvas.clientHeight, title: ink(0, 96), plot: ink(96, c.height) };
  }, { name, data: bytes.toString('base64') });
  assert.equal(w, 2 * probe.cssW, `${name}: PNG width`);
  assert.equal(h, 2 * probe.cssH + 96, `${name}: PNG height (the figure at 2x under a 48 px title band)`);
  assert.ok(probe.title > 0.005, `${name}: no title or caption drawn (${probe.title})`);
  assert.ok(probe.plot > 0.02, `${name}: the plot looks blank (${probe.plot})`);
}

test('runs view: every figure exports a PNG, the traces, bounds and JSON download and parse', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?d=12&steps=200');
  await page.waitForFunction(() => window.steepest.refined > 0 || window.steepest.report?.linf_exact != null);
  const ids = await downloadAll(page);
  for (const id of ['png-f', 'png-grad', 'png-density', 'png-bounds', 'csv-bounds', 'csv', 'result', 'report', 'spec']) assert.ok(ids.includes(id), `${id} missing from ${ids}`);
  // Figures of other views, and hidden figures, are not offered.
  for (const id of ids) assert.ok(!/sweep|anatomy|accuracy|geo/.test(id), `${id} offered on the runs view`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('runs view of a network: the test-accuracy figure exports its PNG and CSV', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?problem=network&hidden=4&steps=30&batch=32&m0=adam&m1=sign_gd');
  const ids = await downloadAll(page);
  assert.ok(ids.includes('png-accuracy') && ids.includes('csv-accuracy'), `${ids}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('sweep view: every map and the scatter export PNGs; the CSV is the CLI\'s', async () => {
  const query = 'd=12&outliers=2&steps=2000&sweep.spread_points=3&sweep.rotation_points=2&sweep.problems=1&sweep.spread_max=5';
  const { page, problems } = await open(site.browser, site.base, `/?view=sweep&${query}`);
  await page.waitForFunction(() => window.steepest.sweeps > 0, null, { timeout: 60000 });
  const ids = await downloadAll(page);
  for (const id of ['png-sweep-measured', 'png-sweep-predicted', 'png-sweep-ceiling', 'png-sweep-scatter', 'sweep-csv', 'sweep']) assert.ok(ids.includes(id), `${id} missing from ${ids}`);
  const spec = await page.evaluate(() => window.steepest.spec);
  const cli = execFileSync(join(root, 'target/release/steepest'), ['sweep', '--spec', '-', '--format', 'csv'], { input: JSON.stringify(spec) }).toString();
  await page.locator('details.menu summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[data-export="sweep-csv"]').click()]);
  assert.equal((await readFile(/** @type {string} */ (await download.path()))).toString('utf8').trimEnd(), cli.trimEnd());
  assert.deepEqual(problems, []);
  await page.close();
});

test('2-D view: the figure exports a PNG and the trajectories a CSV', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?preset=geometry-2d');
  const ids = await downloadAll(page);
  assert.ok(ids.includes('png-geo-2d') && ids.includes('trajectories'), `${ids}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Hessian view opened directly: both heat maps, the track and the histogram export PNG and CSV', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?view=hessian&problem=network&hidden=4&steps=20&batch=32&m0=adam&analysis.step=20&analysis.track=4');
  await page.waitForFunction(() => window.steepest.anatomies > 0, null, { timeout: 60000 });
  const ids = await downloadAll(page);
  for (const f of ['anatomy-hessian', 'anatomy-rotated', 'anatomy-track', 'anatomy-spectrum']) {
    assert.ok(ids.includes(`png-${f}`) && ids.includes(`csv-${f}`), `${f} missing from ${ids}`);
  }
  assert.ok(ids.includes('anatomy'));
  assert.deepEqual(problems, []);
  await page.close();
});
