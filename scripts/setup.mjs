// @ts-check
// Installs what the build and the tests need, each step only when missing, with progress lines.
// Everything comes from the package registries: rustup's wasm32 target, crates.io's
// wasm-bindgen-cli (exactly the version pinned in Cargo.toml), npm packages, Debian's chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cargoBin = join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'bin');
process.env.PATH = `${cargoBin}:${process.env.PATH}`;

const t0 = Date.now();
/** @param {string} msg */
export function log(msg) {
  const s = ((Date.now() - t0) / 1000).toFixed(0).padStart(4);
  console.log(`[steepest ${s}s] ${msg}`);
}

/** Runs a command with inherited output; throws when it fails.
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [opts] */
export function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

/** The standard output of a command, or null when it fails.
 * @param {string} cmd
 * @param {string[]} args */
function output(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
}

export function pinnedBindgenVersion() {
  const m = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^wasm-bindgen\s*=\s*"=([^"]+)"/m);
  if (!m) throw new Error('Cargo.toml must pin wasm-bindgen with "=X.Y.Z"');
  return m[1];
}

export function ensureWasmTarget() {
  const installed = output('rustup', ['target', 'list', '--installed']) || '';
  if (installed.split('\n').includes('wasm32-unknown-unknown')) return;
  log('installing the wasm32-unknown-unknown target (rustup)...');
  sh('rustup', ['target', 'add', 'wasm32-unknown-unknown']);
}

export function ensureWasmBindgen() {
  const want = pinnedBindgenVersion();
  const have = (output('wasm-bindgen', ['--version']) || '').trim().split(' ')[1];
  if (have === want) return;
  log(`installing wasm-bindgen-cli ${want} (${have ? `found ${have}` : 'not found'}); this compiles for about 3 minutes...`);
  try {
    sh('cargo', ['install', 'wasm-bindgen-cli', '--version', want, '--locked']);
  } catch (e) {
    // The registry mirror may lack a crate version in the CLI's lock file; resolve afresh.
    log(`locked install failed (${/** @type {Error} */ (e).message}); retrying with freshly resolved dependencies...`);
    sh('cargo', ['install', 'wasm-bindgen-cli', '--version', want]);
  }
}

/** Rustfmt and clippy, for the format and lint gates of npm test. */
export function ensureRustComponents() {
  const installed = output('rustup', ['component', 'list', '--installed']) || '';
  const missing = ['rustfmt', 'clippy'].filter((c) => !installed.split('\n').some((l) => l.startsWith(`${c}-`)));
  if (!missing.length) return;
  log(`installing ${missing.join(' and ')} (rustup)...`);
  sh('rustup', ['component', 'add', ...missing]);
}

/** The npm packages of package.json (the browser driver, TypeScript and Node's types). */
export function ensureNodeModules() {
  const wanted = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies);
  if (wanted.every((name) => existsSync(join(root, 'node_modules', name, 'package.json')))) return;
  log('installing npm packages...');
  sh('npm', existsSync(join(root, 'package-lock.json')) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
}

export const CHROMIUM = '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  log("installing Debian's chromium for the browser tests (apt-get)...");
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (/** @type {string[]} */ args) => sh(sudo[0] || args[0], sudo.length ? args : args.slice(1), { env });
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
}

/** The two builds of the wasm core (www/core.js): the full core (the crate's default features)
 * and the page core (without the `full` feature, in a profile of its own: Cargo.toml), each with
 * its JS bindings in www/pkg. */
export const CORES = [
  { name: 'steepest', profile: 'release', features: [], onDemand: true },
  { name: 'steepest_page', profile: 'page-core', features: ['--no-default-features'], onDemand: false },
];

/** Builds the release wasm cores and their JS bindings into www/pkg. */
export function buildWasm() {
  ensureWasmTarget();
  ensureWasmBindgen();
  for (const core of CORES) {
    log(`building the wasm core ${core.name} (profile ${core.profile})...`);
    sh('cargo', ['build', '--profile', core.profile, '--lib', '--target', 'wasm32-unknown-unknown', ...core.features]);
    log(`generating its JS bindings into www/pkg/${core.name}.js...`);
    // Without the name and producers sections: 34 KB less gzipped (function names only matter to
    // a debugger; panics still report their message).
    sh('wasm-bindgen', ['--target', 'web', '--remove-name-section', '--remove-producers-section',
      '--out-name', core.name, '--out-dir', 'www/pkg', `target/wasm32-unknown-unknown/${core.profile}/steepest.wasm`]);
  }
}
