// @ts-check
// The fuzz suite: seeded, structure-aware cases (tests/fuzz/generate.mjs) run through the release
// CLI (subprocesses with a timeout) and the wasm core (in a worker thread with the same timeout),
// each outcome classified (tests/fuzz/classify.mjs). Fails on any panic, hang or bad output.
// The timeout counts the CPU seconds of the case's own process or worker thread (from /proc, where
// there is one), so that a machine loaded by other work does not turn slow cases into hangs; a
// case that waits without computing is a hang after ten times the timeout in wall time.
//
//   node tests/fuzz/fuzz.mjs [--cases N] [--from I] [--seed S] [--time SECONDS] [--timeout SECONDS] [--only cli|wasm]
//
// `npm test` runs its first 800 cases (--cases 800, seed 1; about a minute); `npm run fuzz -- --cases 10000 --seed 7`
// runs longer. Cases are the same sequence for a seed; --time stops starting new ones; --from I
// starts at case I (cases I to I + N - 1), so that a long run can be split across processes.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { root } from '../../scripts/setup.mjs';
import { CLASSES, FAILURES, errorVerdict, outputVerdict, badNumbers, controlChar } from './classify.mjs';
import { makeCase } from './generate.mjs';

/** @typedef {import('./generate.mjs').Case} Case */
/** @typedef {import('./classify.mjs').Verdict} Verdict */

const opts = { cases: Infinity, from: 0, seed: 1, time: Infinity, timeout: 60, only: '' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in opts)) throw new Error(`unknown option ${argv[i]}; allowed --cases, --from, --seed, --time, --timeout, --only`);
  /** @type {any} */ (opts)[key] = key === 'only' ? argv[i + 1] : Number(argv[i + 1]);
}
if (opts.cases === Infinity && opts.time === Infinity) opts.cases = 1000;

const BIN = join(root, 'target/release/steepest');
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: cargo build --release --bin steepest`);

/** CPU seconds (user + system) a process or thread has used, from its /proc stat file (fields 14
 * and 15, in ticks of 1/100 s), or null where there is none.
 * @param {string} stat */
function cpuSeconds(stat) {
  try {
    const text = readFileSync(stat, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Calls `hang` once the work watched has used `opts.timeout` CPU seconds since now (wall seconds
 * where /proc has no stat file for it), or ten times that in wall seconds. Returns the stop.
 * @param {string} stat @param {(why: string) => void} hang */
function watchdog(stat, hang) {
  const start = Date.now();
  const base = cpuSeconds(stat);
  const timer = setInterval(() => {
    const wall = (Date.now() - start) / 1000;
    const now = cpuSeconds(stat);
    const cpu = base !== null && now !== null ? now - base : null;
    if ((cpu ?? wall) > opts.timeout || wall > 10 * opts.timeout) {
      clearInterval(timer);
      hang(cpu === null ? `no answer in ${wall.toFixed(0)} s` : `no answer after ${cpu.toFixed(0)} s of CPU (${wall.toFixed(0)} s)`);
    }
  }, 250);
  return () => clearInterval(timer);
}

/** @param {string} cmd @param {string[]} args @param {{ input?: string, stream?: () => string, closeStdout?: boolean }} io */
function exec(cmd, args, io) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    /** @type {Buffer[]} */ const out = [];
    /** @type {Buffer[]} */ const err = [];
    /** @type {string | null} */ let timedOut = null;
    // `sh -c '... exec steepest'` keeps its pid, so the stat file is the CLI's.
    const stop = watchdog(`/proc/${child.pid}/stat`, (why) => { timedOut = why; child.kill('SIGKILL'); });
    if (io.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.stdin.on('error', () => {});
    if (io.stream) {
      // Writes until the CLI stops reading (or 400 MB), as an endless file would.
      let written = 0;
      const more = () => {
        while (written < 4e8 && !child.stdin.destroyed) {
          const chunk = /** @type {() => string} */ (io.stream)();
          written += chunk.length;
          if (!child.stdin.write(chunk)) return void child.stdin.once('drain', more);
        }
        child.stdin.end();
      };
      more();
    } else {
      child.stdin.end(io.input ?? '');
    }
    child.on('close', (code, signal) => {
      stop();
      resolve({ code, signal, timedOut, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

/** A command line with arguments that may hold bytes that are not UTF-8: through sh and printf.
 * @param {(string | Uint8Array)[]} args */
function shellArgs(args) {
  // No OS passes a NUL inside an argument: it is dropped (stdin carries the NUL cases).
  args = args.map((a) => typeof a === 'string' ? a.replaceAll('\0', '') : a);
  const octal = (/** @type {Uint8Array} */ b) => [...b].map((x) => `\\${x.toString(8).padStart(3, '0')}`).join('');
  const parts = args.map((a) => typeof a === 'string' ? a : `BYTES:${octal(a)}`);
  if (!parts.some((p) => p.startsWith('BYTES:'))) return { cmd: BIN, args: /** @type {string[]} */ (args) };
  const conv = parts.map((p, i) => p.startsWith('BYTES:') ? `a${i}="$(printf '${p.slice(6)}')"` : `a${i}=${shQuote(p)}`);
  return { cmd: '/bin/sh', args: ['-c', `${conv.join('; ')}; exec "${BIN}" ${parts.map((_, i) => `"$a${i}"`).join(' ')}`] };
}

/** @param {string} s */
function shQuote(s) { return `'${s.replace(/'/g, `'\\''`)}'`; }

/** @param {Json | string} spec */
const text = (spec) => typeof spec === 'string' ? spec : JSON.stringify(spec);
/** @typedef {Record<string, any>} Json */

/** The CLI's command line, stdin and output kind for a case.
 * @param {Case} c @returns {{ args: (string | Uint8Array)[], input?: string, stream?: () => string, closeStdout?: boolean, kind: 'json' | 'csv' | 'text' }} */
function cliCommand(c) {
  switch (c.task) {
    case 'run': return { args: ['run', '--spec', '-', ...(c.csv ? ['--format', 'csv'] : [])], input: text(c.spec), kind: c.csv ? 'csv' : 'json' };
    case 'query': {
      const pairs = c.query.split('&').filter(Boolean).map((kv) => { try { return decodeURIComponent(kv); } catch { return kv; } });
      return { args: ['run', ...pairs.flatMap((kv) => ['--set', kv])], kind: 'json' };
    }
    case 'matrix': return { args: ['smoothness', '--matrix', '-', '--exact', c.exact], input: c.text, kind: 'json' };
    case 'smoothness': return {
      args: ['smoothness', '--spec', '-', '--exact', c.exact, ...(c.along ? ['--along-trajectory', String(c.along)] : [])],
      input: text(c.spec), kind: 'json',
    };
    case 'sweep': return { args: ['sweep', '--spec', '-'], input: text(c.spec), kind: 'json' };
    case 'analysis': return { args: ['analysis', '--spec', '-', ...(c.at.length ? ['--at', c.at.join(',')] : [])], input: text(c.spec), kind: 'json' };
    case 'url': return { args: ['url', '--spec', '-'], input: text(c.spec), kind: 'text' };
    case 'argv': return { args: c.args, kind: 'text' };
    case 'closed-stdout': return { args: c.args, closeStdout: true, kind: 'text' };
    case 'oversized': {
      if (c.what === 'zero') return { args: ['run', '--spec', '/dev/zero'], kind: 'json' };
      const chunk = { matrix: '[0,0,0,0,0,0,0,0],'.repeat(4096), row: '0,'.repeat(32768), x0: '0.5,'.repeat(16384) }[c.what];
      const head = { matrix: '[', row: '[[', x0: '{"problem": {"x0": [' }[c.what];
      let first = true;
      const stream = () => { const s = first ? head + chunk : chunk; first = false; return s; };
      return { args: c.what === 'x0' ? ['run', '--spec', '-'] : ['smoothness', '--matrix', '-'], stream, kind: 'json' };
    }
  }
}

/** @param {Case} c @returns {Promise<Verdict>} */
async function runCli(c) {
  const cmd = cliCommand(c);
  const { cmd: file, args } = shellArgs(cmd.args);
  const r = /** @type {{ code: number | null, signal: string | null, timedOut: string | null, stdout: string, stderr: string }} */ (
    await exec(file, args, cmd));
  if (r.timedOut) return { cls: 'hang', why: r.timedOut };
  if (r.code === 101 || /panicked/.test(r.stderr)) return { cls: 'panic', why: r.stderr.slice(0, 300) };
  if (r.code === null) return { cls: 'panic', why: `killed by ${r.signal}` };
  const raw = controlChar(r.stderr);
  if (raw) return { cls: 'bad-output', why: `stderr: ${raw}: ${JSON.stringify(r.stderr.slice(0, 200))}` };
  if (r.code !== 0) {
    if (r.code !== 1 && r.code !== 2) return { cls: 'panic', why: `exit code ${r.code}: ${r.stderr.slice(0, 200)}` };
    const message = r.stderr.split('\n').find((l) => l.startsWith('error')) ?? '';
    if (!message) return { cls: 'bad-output', why: `exit ${r.code} with no error line: ${r.stderr.slice(0, 200)}` };
    return errorVerdict(message);
  }
  if (c.task === 'closed-stdout') return r.stderr.includes('error') ? { cls: 'bad-output', why: r.stderr.slice(0, 200) } : { cls: 'ok' };
  return outputVerdict(r.stdout, cmd.kind);
}

/** The wasm side: one worker at a time, replaced after a hang or a trap. */
class WasmRunner {
  constructor() {
    /** @type {Promise<string>} */
    this.stat = Promise.resolve('');
    this.worker = this.spawn();
    this.next = 0;
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();
  }
  /** A worker, and (in `stat`) the /proc stat file of its thread, which it sends once ready. */
  spawn() {
    const worker = new Worker(new URL('./wasm-worker.mjs', import.meta.url));
    this.stat = new Promise((resolve) => worker.once('message', (/** @type {{ thread: string | null }} */ m) =>
      resolve(m.thread ? `/proc/${m.thread}/stat` : '')));
    return worker;
  }
  /** Cases one after another on the one worker. @param {Case} c @returns {Promise<Verdict>} */
  run(c) {
    const result = this.queue.then(() => this.runOne(c));
    this.queue = result;
    return result;
  }
  /** @param {Case} c @returns {Promise<Verdict>} */
  async runOne(c) {
    const id = this.next++;
    const stat = await this.stat;
    return new Promise((resolve) => {
      const stop = watchdog(stat, (why) => {
        this.worker.removeAllListeners('message');
        void this.worker.terminate();
        this.worker = this.spawn();
        resolve({ cls: 'hang', why });
      });
      this.worker.removeAllListeners('message');
      this.worker.on('message', (/** @type {any} */ m) => {
        if (m.id !== id) return;
        stop();
        if ('ok' in m) return resolve(wasmVerdict(c, m.ok));
        if (m.runtime) {
          void this.worker.terminate();
          this.worker = this.spawn();
          return resolve({ cls: 'panic', why: m.error });
        }
        resolve(m.field ? { cls: 'error-named', why: m.error } : errorVerdict(m.error));
      });
      this.worker.postMessage({ id, c });
    });
  }
  close() { return this.worker.terminate(); }
}

/** @param {Case} c @param {any} value @returns {Verdict} */
function wasmVerdict(c, value) {
  if (value?.csv !== undefined) return outputVerdict(value.csv, 'csv');
  if (value?.roundTripIssues) return { cls: 'bad-output', why: `specToQuery's link decodes with issues: ${JSON.stringify(value.roundTripIssues).slice(0, 200)}` };
  if (value?.pooledDiffers) return { cls: 'bad-output', why: value.pooledDiffers };
  const raw = c.task === 'query' || c.task === 'argv' ? controlChar(JSON.stringify(value)) : null;
  if (raw) return { cls: 'bad-output', why: `decoded issues: ${raw}` };
  const bad = badNumbers(value);
  return bad ? { cls: 'bad-output', why: bad } : { cls: 'ok' };
}

const wasmRunner = opts.only === 'cli' ? null : new WasmRunner();
const schema = JSON.parse((/** @type {{ stdout: string }} */ (await exec(BIN, ['spec', '--schema'], {}))).stdout);
/** @type {Record<string, Record<string, number>>} */
const counts = { cli: Object.fromEntries(CLASSES.map((k) => [k, 0])), wasm: Object.fromEntries(CLASSES.map((k) => [k, 0])) };
/** @type {string[]} */
const failures = [];
const started = Date.now();
let nextCase = opts.from;
let done = 0;

/** @param {'cli' | 'wasm'} side @param {number} i @param {Case} c @param {Verdict} v */
function record(side, i, c, v) {
  counts[side][v.cls]++;
  if (process.env.FUZZ_VERBOSE) console.log(`${side} ${i} ${c.task} ${v.cls} ${v.why ?? ''}`.slice(0, 300));
  if (/** @type {readonly string[]} */ (FAILURES).includes(v.cls)) {
    const shown = JSON.stringify(c, (_, x) => x instanceof Uint8Array ? `bytes:${[...x]}` : x);
    failures.push(`${side} case ${i} (seed ${opts.seed}) ${v.cls}: ${v.why}\n    ${shown.length > 600 ? shown.slice(0, 600) + '...' : shown}`);
  }
}

const more = () => nextCase < opts.from + opts.cases && (Date.now() - started) / 1000 < opts.time;

/** CLI cases on two subprocesses at a time, wasm cases one at a time beside them. */
async function cliLane() {
  while (more()) {
    const i = nextCase++;
    const c = makeCase(opts.seed, i, schema);
    const cli = opts.only === 'wasm' ? null : runCli(c);
    const wasm = wasmRunner && (c.task !== 'closed-stdout') ? wasmRunner.run(c) : null;
    if (cli) record('cli', i, c, await cli);
    if (wasm) record('wasm', i, c, await wasm);
    done++;
  }
}
await Promise.all([cliLane(), cliLane()]);
await wasmRunner?.close();

const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(`fuzz: ${done} cases (seed ${opts.seed}) in ${seconds} s`);
for (const side of /** @type {const} */ (['cli', 'wasm'])) {
  console.log(`  ${side.padEnd(4)} ${CLASSES.map((k) => `${k} ${counts[side][k]}`).join(', ')}`);
}
for (const f of failures) console.log(`FAIL ${f}`);
process.exit(failures.length ? 1 : 0);
