// @ts-check
// The two builds of the wasm core (www/core.js), here in Node: the page core, which every page
// starts with, gives the same numbers as the full core for every spec it can run, says that it
// is not the full core, and refuses a network spec by name instead of failing inside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './helpers.mjs';
import * as full from '../../www/pkg/steepest.js';
import * as page from '../../www/pkg/steepest_page.js';

full.initSync({ module: readFileSync(join(root, 'www/pkg/steepest_bg.wasm')) });
page.initSync({ module: readFileSync(join(root, 'www/pkg/steepest_page_bg.wasm')) });

test('each core says which it is', () => {
  assert.equal(full.fullCore(), true);
  assert.equal(page.fullCore(), false);
});

test('the page core runs and measures every preset that is not a network exactly as the full core does', () => {
  const presets = page.presets().filter((/** @type {any} */ p) => p.spec.problem.kind !== 'network');
  assert.ok(presets.length >= 6, `${presets.length} presets`);
  for (const p of presets) {
    assert.deepEqual(page.run(p.spec), full.run(p.spec), `${p.name}: run`);
    assert.deepEqual(page.smoothness(p.spec, undefined), full.smoothness(p.spec, undefined), `${p.name}: smoothness`);
  }
  assert.deepEqual(page.schema(), full.schema());
  assert.deepEqual(page.specFromQuery('d=12&rotation=0.5&m1=adam'), full.specFromQuery('d=12&rotation=0.5&m1=adam'));
});

test('the page core refuses a network spec by naming the data set it does not hold', () => {
  const spec = page.presets().find((/** @type {any} */ p) => p.spec.problem.kind === 'network').spec;
  assert.throws(() => page.run(spec), (/** @type {any} */ e) => e.field === 'problem.dataset' && /full core/.test(e.message));
});
