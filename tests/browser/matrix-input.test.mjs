// @ts-check
// "Your own matrix" from the controls: choosing the kind fills in an example, and a matrix can be
// typed, pasted, dropped (.npy too) or chosen as a file; the core reads all of them, and a bad
// cell is named by its row and column. Each matrix is checked by what the page computes from it:
// the exact L_inf of a small matrix, by brute force over sign vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, open } from './helpers.mjs';

const site = useSite();

// Written by numpy 2.4.6: np.save of np.array([[3., .5], [.5, 2.]]), and of np.array([[1j]]).
const NPY = 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAIQAAAAAAAAOA/AAAAAAAA4D8AAAAAAAAAQA==';
const NPY_COMPLEX = 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGMxNicsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgxLCAxKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAPA/';

/** L_inf = max over sign vectors v of v^T H v, by brute force.
 * @param {number[][]} h */
function linf(h) {
  const n = h.length;
  let best = -Infinity;
  for (let mask = 0; mask < 1 << n; mask++) {
    const v = h.map((_, i) => ((mask >> i) & 1 ? 1 : -1));
    best = Math.max(best, h.reduce((s, row, i) => s + v[i] * row.reduce((t, x, j) => t + x * v[j], 0), 0));
  }
  return best;
}

/** Waits until the page has computed the report of `matrix`, and returns its exact L_inf.
 * @param {import('playwright-core').Page} page
 * @param {number[][]} matrix */
async function reportOf(page, matrix) {
  await page.waitForFunction((m) => {
    const s = window.steepest;
    return JSON.stringify(s.spec.problem.matrix) === JSON.stringify(m) && s.report && s.report.trace === m.reduce((t, r, i) => t + r[i], 0);
  }, matrix, { timeout: 20000 });
  return page.evaluate(() => window.steepest.report.linf_exact);
}

/** Drops a file with `bytes` (base64) called `name` on the matrix box, as a site.browser does.
 * @param {import('playwright-core').Page} page
 * @param {string} name
 * @param {string} base64 */
function drop(page, name, base64) {
  return page.evaluate(([name, base64]) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], name));
    const box = /** @type {HTMLElement} */ (document.querySelector('#ctl-problem-matrix'));
    box.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    box.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, [name, base64]);
}

test('choosing your own matrix fills in an example the page computes with', async () => {
  const { page, problems } = await open(site.browser, site.base, '/');
  await page.selectOption('#ctl-problem-kind', 'matrix');
  const example = [[4, 1, 0], [1, 3, 1], [0, 1, 2]];
  assert.equal(await reportOf(page, example), linf(example));
  assert.equal(linf(example), 13);
  assert.equal(await page.inputValue('#ctl-problem-matrix'), '4 1 0\n1 3 1\n0 1 2');
  assert.equal(await page.locator('.notice').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a matrix typed, pasted, dropped or chosen as a file is read by the core', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?problem=matrix&matrix=1,0;0,1');
  // Typed, rows by ';' and numbers by commas.
  await page.fill('#ctl-problem-matrix', '2, 1; 1, 3');
  await page.press('#ctl-problem-matrix', 'Tab');
  assert.equal(await reportOf(page, [[2, 1], [1, 3]]), 7);
  // Pasted from a spreadsheet: tabs and newlines.
  await page.fill('#ctl-problem-matrix', '');
  await page.focus('#ctl-problem-matrix');
  await page.keyboard.insertText('5\t-1\t0\n-1\t4\t2\n0\t2\t6\n');
  await page.press('#ctl-problem-matrix', 'Tab');
  const pasted = [[5, -1, 0], [-1, 4, 2], [0, 2, 6]];
  assert.equal(await reportOf(page, pasted), linf(pasted));
  // Dropped: a NumPy file, then a CSV file.
  await drop(page, 'h.npy', NPY);
  assert.equal(await reportOf(page, [[3, 0.5], [0.5, 2]]), 6);
  assert.equal(await page.inputValue('#ctl-problem-matrix'), '3 0.5\n0.5 2');
  await drop(page, 'h.csv', Buffer.from('1,0.25\n0.25,1\n').toString('base64'));
  assert.equal(await reportOf(page, [[1, 0.25], [0.25, 1]]), 2.5);
  // Chosen with the file button: JSON.
  await page.setInputFiles('#ctl-problem-matrix-file', { name: 'h.json', mimeType: 'application/json', buffer: Buffer.from('{"matrix": [[2, 0], [0, 9]]}') });
  assert.equal(await reportOf(page, [[2, 0], [0, 9]]), 11);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a bad cell is named by its row and column, and a bad file by its dtype', async () => {
  const { page, problems } = await open(site.browser, site.base, '/?problem=matrix&matrix=2,1;1,2');
  await page.fill('#ctl-problem-matrix', '1 2\n2 x');
  await page.press('#ctl-problem-matrix', 'Tab');
  const err = page.locator('#ctl-problem-matrix-err');
  await err.waitFor();
  assert.match(await err.textContent() ?? '', /row 1, column 1: "x" is not a number/);
  assert.deepEqual(await page.evaluate(() => window.steepest.spec.problem.matrix), [[2, 1], [1, 2]]);
  await drop(page, 'c.npy', NPY_COMPLEX);
  await page.waitForFunction(() => /<c16/.test(document.querySelector('#ctl-problem-matrix-err')?.textContent ?? ''));
  assert.match(await err.textContent() ?? '', /npy dtype "<c16" \(complex\) is not read/);
  // A matrix that is not symmetric is refused by the spec's check, named in the form and the notice.
  await page.fill('#ctl-problem-matrix', '1 2\n3 1');
  await page.press('#ctl-problem-matrix', 'Tab');
  await page.waitForFunction(() => /not symmetric/.test(document.querySelector('#ctl-problem-matrix-err')?.textContent ?? ''));
  assert.match(await page.locator('.notice').textContent() ?? '', /not applied.*not symmetric/);
  assert.deepEqual(await page.evaluate(() => window.steepest.spec.problem.matrix), [[2, 1], [1, 2]]);
  assert.deepEqual(problems, []);
  await page.close();
});
