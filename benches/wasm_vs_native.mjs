// @ts-check
// The wasm core against the native one on the same work: 200 Adam steps of the digits MLP
// (16 tanh units, batch 32) as the page runs them (each step's minibatch loss; the full training
// loss and gradient, train and test loss and accuracy at 101 evaluation points), through the full
// wasm core in Node and through the release CLI (`steepest run --spec -`), interleaved, nine of
// each, CPU time of each side (user + system: the CLI's includes its start-up and JSON output),
// and a check that both record the same numbers. Target: wasm within 1.5x.
// Run: node benches/wasm_vs_native.mjs (after the wasm and the release CLI are built).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../scripts/setup.mjs';

const spec = { problem: { kind: 'network', hidden: 16 }, methods: [{ kind: 'adam', lr: 0.01 }], run: { steps: 200, target: 0, batch: 32 } };
const core = await import(join(root, 'www/pkg/steepest.js'));
await core.default({ module_or_path: readFileSync(join(root, 'www/pkg/steepest_bg.wasm')) });
core.registerDataset('digits', readFileSync(join(root, 'data/digits.bin')));
const cli = join(root, 'target/release/steepest');
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const wasm = [];
const native = [];
let same = true;
for (let i = 0; i < 9; i++) {
  const t = cpuMs();
  const fromWasm = core.run(spec);
  wasm.push(cpuMs() - t);
  const out = execFileSync('bash', ['-c', `TIMEFORMAT='%U %S'; { time "${cli}" run --spec - 2>/dev/null > /tmp/steepest-wasm-vs-native.json; } 2>&1`], { input: JSON.stringify(spec) }).toString().trim().split('\n').pop() ?? '';
  native.push(out.split(' ').reduce((a, s) => a + Number(s), 0) * 1000);
  const fromCli = JSON.parse(readFileSync('/tmp/steepest-wasm-vs-native.json', 'utf8'));
  for (const key of ['t', 'f', 'batch_loss', 'curves']) same &&= JSON.stringify(fromCli.methods[0][key]) === JSON.stringify(fromWasm.methods[0][key]);
}
const median = (/** @type {number[]} */ a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
const show = (/** @type {number[]} */ a) => a.map((x) => x.toFixed(0)).join(', ');
console.log(`200 Adam steps of the digits MLP as the page runs them, CPU ms: wasm ${show(wasm)}; native CLI ${show(native)}`);
console.log(`wasm / native, medians: ${(median(wasm) / median(native)).toFixed(2)} (target 1.5); the same losses on both: ${same}; load average ${(await import('node:os')).loadavg().map((v) => v.toFixed(1)).join(' ')}`);
if (!same) process.exitCode = 1;
