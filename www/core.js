// @ts-check
// The wasm core, as two builds of one crate (Cargo.toml's `full` feature):
// - the page core, which every page starts with: everything but the networks and the Hessian
//   view, so the default page stays within its weight budget;
// - the full core, fetched the first time a spec or a view needs it (a network spec, the
//   Hessian view); from then on this thread uses it for everything.
// Each is fetched and compiled once per page: the worker gets the compiled module by message
// (compute.js), never fetching it again. A build that bundles only the full core (the single
// file) says so through `fullCore()`, and nothing more is fetched.
import * as page from './pkg/steepest_page.js';

/** @typedef {typeof import('./pkg/steepest.js')} Api */
/** @typedef {'page' | 'full'} CoreName */

/** The core in use in this thread. The page core's functions are a subset of the full core's;
 * `load('full')` runs before anything calls one it lacks (main.js, by `needsFull`).
 * @type {Api} */
export let wasm = /** @type {any} */ (page);
/** Which core `wasm` is. @type {CoreName} */
export let coreName = 'page';

/** Each core's bindings (the page core's are at hand, the full core's imported when needed)
 * and its wasm. */
const CORES = {
  page: { bindings: async () => /** @type {any} */ (page), url: new URL('./pkg/steepest_page_bg.wasm', import.meta.url) },
  full: { bindings: () => import('./pkg/steepest.js'), url: new URL('./pkg/steepest_bg.wasm', import.meta.url) },
};

/** @type {Partial<Record<CoreName, Promise<WebAssembly.Module>>>} */
const compiled = {};
/** @type {Partial<Record<CoreName, Promise<Api>>>} */
const loaded = {};

/** The compiled module of a core, fetched and compiled once (streamed when served as wasm).
 * @param {CoreName} name
 * @returns {Promise<WebAssembly.Module>} */
export function compiledCore(name) {
  return compiled[name] ??= fetch(CORES[name].url).then(async (res) => {
    if (!res.ok) throw new Error(`could not fetch the ${name} core (${res.url}: HTTP ${res.status})`);
    return res.headers.get('content-type')?.startsWith('application/wasm')
      ? WebAssembly.compileStreaming(res)
      : WebAssembly.compile(await res.arrayBuffer());
  });
}

/** Makes `name` the core in use, instantiating it from `module` (the worker's, sent by the
 * page) or from its compiled module; a later call for the same core is free.
 * @param {CoreName} name
 * @param {WebAssembly.Module} [module] */
export async function load(name, module) {
  const api = await (loaded[name] ??= (async () => {
    const bindings = /** @type {Api} */ (await CORES[name].bindings());
    await bindings.default({ module_or_path: module ?? await compiledCore(name) });
    return bindings;
  })());
  // The page core never replaces the full one: the full core does all it does.
  if (name === 'full' || coreName === 'page') {
    wasm = api;
    coreName = name;
  }
}

/** Whether computing `spec` (in the view `view`) needs the full core and this thread does not
 * hold it yet: network specs and the Hessian view.
 * @param {import('./types').Spec} spec
 * @param {string} [view] */
export function needsFull(spec, view) {
  return !wasm.fullCore() && (spec?.problem?.kind === 'network' || view === 'hessian');
}
