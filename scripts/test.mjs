// npm test: install what the tests need, then run every suite: native cargo tests (unit,
// property, integration, CLI), wasm API tests in Node, and browser tests in headless Chromium.
import { readdirSync } from 'node:fs';
import { buildWasm, ensureChromium, ensureNodeModules, ensureWasmBindgen, ensureWasmTarget, log, sh } from './setup.mjs';

const steps = [
  ['native tests (cargo test)', () => sh('cargo', ['test'])],
  ['wasm API tests (wasm-bindgen-test in Node)', () => {
    ensureWasmTarget();
    ensureWasmBindgen();
    sh('cargo', ['test', '--target', 'wasm32-unknown-unknown', '--test', 'wasm_api'], {
      env: { ...process.env, CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: 'wasm-bindgen-test-runner' },
    });
  }],
  ['browser tests (headless Chromium)', () => {
    ensureNodeModules();
    ensureChromium();
    buildWasm();
    sh('cargo', ['build', '--release', '--bin', 'steepest']);
    const files = readdirSync('tests/browser').filter((f) => f.endsWith('.test.mjs')).map((f) => `tests/browser/${f}`);
    sh('node', ['--test', '--test-concurrency=1', ...files]);
  }],
];

for (const [name, run] of steps) {
  log(`== ${name}`);
  try {
    run();
  } catch (e) {
    log(`FAILED: ${name}: ${e.message}`);
    process.exit(1);
  }
}
log('all test suites passed');
