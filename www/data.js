// @ts-check
// The shipped data sets (data/NAME.bin beside the page), fetched into this thread's core when a
// network spec first needs one. A module of its own so that the worker can import it without
// importing the page's compute module, which names the worker.
import { wasm } from './core.js';

/** @typedef {import('./types').Spec} Spec */

/** Fetches the shipped data file a network spec needs (data/NAME.bin, from this site) into
 * this thread's core, once.
 * @param {Spec} spec */
export async function ensureData(spec) {
  if (spec.problem.kind !== 'network' || wasm.hasDataset(spec.problem.dataset)) return;
  const name = spec.problem.dataset;
  const res = await fetch(new URL(`../data/${name}.bin`, import.meta.url));
  if (!res.ok) throw Object.assign(new Error(`problem.dataset: could not fetch data/${name}.bin (HTTP ${res.status})`), { field: 'problem.dataset' });
  if (!wasm.hasDataset(name)) wasm.registerDataset(name, new Uint8Array(await res.arrayBuffer()));
}
