// @ts-check
// A rotated quadratic is the same matrix in the release CLI and in both wasm cores (here in Node):
// the generator's column strips are 4 wide in wasm (f64x2 pairs) and as wide as the machine's
// vector unit natively, and every entry must see the same operations either way. The smoothness
// report reads H entry by entry (its absolute sum, rho_diag, the L_inf bracket), the run's
// trajectory passes through H x at every step, and the sweep makes a rotated problem per cell;
// sizes below, at and above the strip width and the group of 8 columns, and partial rotations.
// A report asked for after a run in the same instance (the page's worker: the problem it keeps from
// the run) is the one a fresh instance gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './helpers.mjs';
import * as full from '../../www/pkg/steepest.js';
import * as page from '../../www/pkg/steepest_page.js';

full.initSync({ module: readFileSync(join(root, 'www/pkg/steepest_bg.wasm')) });
page.initSync({ module: readFileSync(join(root, 'www/pkg/steepest_page_bg.wasm')) });
const CORES = { full, page };

/** The release CLI's JSON output for a spec on stdin. @param {string} command @param {object} spec */
function cli(command, spec) {
  return JSON.parse(execFileSync(join(root, 'target/release/steepest'), [command, '--spec', '-'], { input: JSON.stringify(spec) }).toString());
}

/** As shortest round-trip decimals (equal JSON means bit-identical doubles), without the
 * report's time taken. @param {unknown} v */
const plain = (v) => JSON.parse(JSON.stringify(v, (key, value) => key === 'seconds' ? undefined : value));

const CASES = [[2, 1], [5, 1], [9, 0.37], [37, 1], [130, 1], [130, 0.6]];

for (const [d, rotation] of CASES) {
  test(`a rotated quadratic (d = ${d}, rotation ${rotation}) gives the CLI's numbers in both wasm cores`, () => {
    const spec = { problem: { d, rotation, seed: 3 + d }, run: { steps: 60 } };
    const report = plain(cli('smoothness', spec));
    const result = plain(cli('run', spec));
    for (const [name, core] of Object.entries(CORES)) {
      assert.deepEqual(plain(core.smoothness(spec, undefined, undefined)), report, `${name} core: the report`);
      assert.deepEqual(plain(core.run(spec, undefined)), result, `${name} core: the run`);
      // After the run, on the problem this instance kept.
      assert.deepEqual(plain(core.smoothness(spec, undefined, undefined)), report, `${name} core: the report after the run`);
    }
  });
}

test('a sweep of rotated problems gives the CLI\'s numbers in both wasm cores', () => {
  const spec = { problem: { d: 21 }, run: { steps: 40 }, sweep: { spread_points: 2, rotation_points: 3, problems: 2, tune_points: 3 } };
  const want = plain(cli('sweep', spec));
  for (const [name, core] of Object.entries(CORES)) assert.deepEqual(plain(core.sweep(spec, undefined)), want, `${name} core`);
});
