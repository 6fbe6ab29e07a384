// @ts-check
// Every figure's Data toggle (issue 12 item 9): on the Runs, Sweep and Hessian views each shown
// figure with numbers opens a table whose rows are whole (a cell per column, none empty) and
// whose numbers are the page's own: the sweep maps one row per cell, a pooled heat map's largest
// block the largest |H_ij| of the whole map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, open } from './helpers.mjs';

const site = useSite();

/** Opens the Data table of every shown figure that has one; returns each table's header and
 * rows by figure name.
 * @param {import('playwright-core').Page} page */
async function dataTables(page) {
  /** @type {Record<string, { head: string[], rows: string[][] }>} */
  const out = {};
  for (const fig of await page.locator('figure.plot:visible').all()) {
    const toggle = fig.getByRole('button', { name: 'Data' });
    if (!(await toggle.count())) continue;
    await toggle.click();
    const table = fig.locator('.figure-data table');
    await table.waitFor();
    const name = await fig.evaluate((f) => Object.values(/** @type {HTMLElement} */ (f).dataset)[0] ?? '');
    out[name] = {
      head: await table.locator('thead th').allTextContents(),
      rows: await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? ''))),
    };
  }
  return out;
}

/** @param {Record<string, { head: string[], rows: string[][] }>} tables */
function wellFormed(tables) {
  for (const [name, { head, rows }] of Object.entries(tables)) {
    assert.ok(rows.length > 0 && rows.length <= 52, `${name}: ${rows.length} rows`);
    for (const r of rows) {
      assert.equal(r.length, head.length, `${name}: ${r}`);
      assert.ok(r.every((c) => c.trim() !== ''), `${name}: an empty cell in ${r}`);
    }
  }
}

test('Runs view: the traces, the step ratios and the bracket open as tables', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?d=12&steps=300');
  const tables = await dataTables(page);
  for (const name of ['f', 'grad', 'density', 'ratio', 'bounds']) assert.ok(name in tables, `${name} missing from ${Object.keys(tables)}`);
  wellFormed(tables);
  // The bracket's table holds the exact L_inf the page measured.
  const exact = await page.evaluate(() => window.steepest.report.linf_exact);
  assert.ok(tables.bounds.rows.some((r) => r[0] === 'exact' && Math.abs(Number(r[2]) - exact) <= 1e-3 * exact), JSON.stringify(tables.bounds.rows));
  assert.deepEqual(problems, []);
  await page.close();
});

test('Sweep and Hessian views: a row per sweep cell, and a heat map pooled to its largest entries', async () => {
  const query = 'd=12&outliers=2&steps=2000&sweep.spread_points=3&sweep.rotation_points=2&sweep.problems=1&sweep.spread_max=5';
  const sweep = await open(site.browser, site.base, `/?view=sweep&${query}`);
  await sweep.page.waitForFunction(() => window.steepest.sweeps > 0, null, { timeout: 60000 });
  const maps = await dataTables(sweep.page);
  wellFormed(maps);
  const cells = await sweep.page.evaluate(() => window.steepest.sweep.cells.length);
  for (const which of ['measured', 'predicted', 'ceiling', 'scatter']) assert.equal(maps[which]?.rows.length, cells, which);
  assert.deepEqual(sweep.problems, []);
  await sweep.page.close();

  const { page, problems } = await open(site.browser, site.base, '/?view=hessian&problem=network&hidden=4&steps=20&batch=32&m0=adam&analysis.step=20&analysis.track=4');
  await page.waitForFunction(() => window.steepest.anatomies > 0, null, { timeout: 60000 });
  const tables = await dataTables(page);
  wellFormed(tables);
  for (const side of ['hessian', 'rotated']) {
    const pooled = Math.max(...tables[side].rows.flatMap((r) => r.slice(1).map(Number)));
    const largest = await page.evaluate((s) => Math.max(...window.steepest.anatomy[s].heat.cells), side);
    assert.ok(Math.abs(pooled - largest) <= 1e-3 * largest, `${side}: ${pooled} vs ${largest}`);
  }
  assert.ok('track' in tables && 'spectrum' in tables, Object.keys(tables).join());
  assert.deepEqual(problems, []);
  await page.close();
});
