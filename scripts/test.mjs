// @ts-check
// npm test: install what the tests need, then the gates and every suite, cheapest first:
// formatting (cargo fmt --check), lints (clippy, warnings are errors), the JS type check (tsc,
// against the .d.ts that wasm-bindgen emits with the wasm core), native cargo tests (unit,
// property, integration, CLI), wasm API tests in Node, browser tests in headless Chromium (the
// built site, npm run build: dist/, among them, served by Python's http.server), and a minute of
// the fuzz suite (tests/fuzz).
import { readdirSync } from 'node:fs';
import { buildWasm, ensureChromium, ensureNodeModules, ensureRustComponents, ensureWasmBindgen, ensureWasmTarget, log, sh } from './setup.mjs';

/** @type {[string, () => void][]} */
const steps = [
  ['format (cargo fmt --check)', () => {
    ensureRustComponents();
    sh('cargo', ['fmt', '--check']);
  }],
  ['lints (cargo clippy --all-targets -- -D warnings)', () => sh('cargo', ['clippy', '--all-targets', '--', '-D', 'warnings'])],
  ['JS type check (tsc --noEmit, with the wasm bindings built first)', () => {
    ensureNodeModules();
    buildWasm();
    sh('npx', ['--no-install', 'tsc', '--noEmit', '-p', '.']);
    // The browser tests: the same options, except that null checks are off (they assert on
    // Playwright's `string | null` text directly; a null fails the assertion anyway).
    sh('npx', ['--no-install', 'tsc', '--noEmit', '-p', 'tests/browser']);
  }],
  ['native tests (cargo test)', () => sh('cargo', ['test'])],
  ['wasm API tests and the dense kernels\' bits in wasm (wasm-bindgen-test in Node)', () => {
    ensureWasmTarget();
    ensureWasmBindgen();
    sh('cargo', ['test', '--target', 'wasm32-unknown-unknown', '--test', 'wasm_api', '--test', 'dense_bits'], {
      env: { ...process.env, CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: 'wasm-bindgen-test-runner' },
    });
  }],
  ['browser tests (headless Chromium, with the wasm core built above and the site built into dist/, single file too)', () => {
    ensureChromium();
    sh('cargo', ['build', '--release', '--bin', 'steepest']);
    sh('node', ['scripts/build.mjs', '--single']);
    const files = readdirSync('tests/browser').filter((f) => f.endsWith('.test.mjs')).map((f) => `tests/browser/${f}`);
    sh('node', ['--test', '--test-concurrency=1', ...files]);
  }],
  // The release CLI and the wasm core are built above. A fixed count of seeded cases (seed 1, the
  // first 800: the same cases on every machine, however fast; about a minute here), both sides;
  // `npm run fuzz -- --cases N --seed S` is the long form.
  ['fuzz (800 tests/fuzz cases, seed 1, CLI and wasm: fails on a panic, hang or bad output)',
    () => sh('node', ['tests/fuzz/fuzz.mjs', '--cases', '800', '--seed', '1'])],
];

for (const [name, run] of steps) {
  log(`== ${name}`);
  try {
    run();
  } catch (e) {
    log(`FAILED: ${name}: ${/** @type {Error} */ (e).message}`);
    process.exit(1);
  }
}
log('all test suites passed');
