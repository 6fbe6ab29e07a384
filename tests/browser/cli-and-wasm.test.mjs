// @ts-check
// The native CLI and the wasm core (the page's www/pkg, here in Node) read a spec's numbers
// alike: a normalised-GD run whose 17-digit lr serde_json once read 1 ulp low (without its
// float_roundtrip feature) gives the same numbers from both, whether the lr comes in JSON or as
// a page URL key. tests/wasm_api.rs checks 10,000 such numbers one by one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './helpers.mjs';
import { initSync, run, specFromQuery } from '../../www/pkg/steepest.js';

initSync({ module: readFileSync(join(root, 'www/pkg/steepest_bg.wasm')) });

/** The release CLI's JSON output.
 * @param {string[]} args @param {string} [input] stdin */
function cli(args, input = '') {
  return JSON.parse(execFileSync(join(root, 'target/release/steepest'), args, { input }).toString());
}

test('a run with a 17-digit lr gives the same numbers from the CLI and the wasm core', () => {
  const text = '{"problem": {"d": 50, "rotation": 1}, "methods": [{"kind": "normalized_gd", "rule": "const", '
    + '"lr": 4.5892272650244980e-2}], "run": {"steps": 5000, "target": 0}}';
  const wasm = run(JSON.parse(text));
  assert.equal(wasm.methods[0].lr, 0.04589227265024498);
  // Both sides as shortest round-trip decimals: equal JSON means bit-identical doubles.
  assert.deepEqual(cli(['run', '--spec', '-'], text), JSON.parse(JSON.stringify(wasm)));

  const query = 'd=50&rotation=1&steps=5000&target=0&m0=normalized_gd&m0.rule=const&m0.lr=4.5892272650244980e-2';
  const decoded = specFromQuery(query);
  assert.deepEqual(decoded.issues, []);
  const set = query.split('&').flatMap((kv) => ['--set', kv]);
  assert.deepEqual(cli(['run', ...set]), JSON.parse(JSON.stringify(run(decoded.spec))));
  assert.deepEqual(cli(['run', ...set]).methods, JSON.parse(JSON.stringify(wasm)).methods);
});
