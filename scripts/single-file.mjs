// @ts-check
// npm run build -- --single: dist/steepest.html, the whole site in one file that opens from
// file:// (double click, an e-mail attachment, a course page), where nothing may be fetched and no
// worker script loaded.
//
// The page and the worker are each bundled into one script (esbuild) in which `import.meta.url`
// is a fixed base address that no network serves (BASE). The files the code asks for by URL
// relative to it (the wasm core, the data sets) are inlined gzipped in base64 and answered by a
// small fetch in front of the browser's; the worker is started from a Blob of its bundle behind
// the same fetch. Only the full wasm core is inlined, under both cores' names, with the page
// core's bindings resolved to the full core's: the page then finds the full core at once
// (`fullCore()`, www/core.js) and asks for nothing else. Nothing in www/ knows about any of this.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { root } from './setup.mjs';

/** The base address the bundles see as `import.meta.url`'s folder (`.invalid` never resolves). */
const BASE = 'https://steepest.invalid/';
/** Budgets of issue 13: the file without the data sets, and with them. */
const MAX_BYTES_WITHOUT_DATA = 1.2e6;
const MAX_BYTES_WITH_DATA = 1e6;

/** Runs before the page's bundle, and again at the top of the worker's: answers fetches of
 * `base` + a path of `files` from the inlined gzipped bytes and passes every other fetch on; in
 * the page it also starts the worker (`base` + worker.js) from `workerSource`.
 * Written as a function so that its source can go into the worker too.
 * @param {string} base
 * @param {Record<string, { type: string, gz: string }>} files path -> MIME type, gzip in base64
 * @param {string | null} workerSource the worker's bundle (null inside the worker) */
function inlineFiles(base, files, workerSource) {
  const fetchFromNetwork = globalThis.fetch.bind(globalThis);
  /** @param {RequestInfo | URL} input @param {RequestInit} [init] */
  globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.startsWith(base)) return fetchFromNetwork(input, init);
    const file = files[url.slice(base.length)];
    if (!file) return new Response(`${url.slice(base.length)} is not inside this single-file page`, { status: 404, statusText: 'Not in the single file' });
    const gz = Uint8Array.from(atob(file.gz), (c) => c.charCodeAt(0));
    return new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip')), { headers: { 'content-type': file.type } });
  };
  if (workerSource === null) return;
  const code = `(${inlineFiles})(${JSON.stringify(base)}, ${JSON.stringify(files)}, null);\n${workerSource}`;
  const workerUrl = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  const BrowserWorker = globalThis.Worker;
  globalThis.Worker = class extends BrowserWorker {
    /** @param {string | URL} url @param {WorkerOptions} [options] */
    constructor(url, options) {
      // The worker's bundle is a classic script: module workers from a Blob are not everywhere.
      if (String(url) === `${base}assets/worker.js`) super(workerUrl);
      else super(url, options);
    }
  };
}

/** `code` placed inside a <script> element, refusing what would end the element early.
 * @param {string} code @param {string} what */
function scriptText(code, what) {
  if (/<\/script/i.test(code)) throw new Error(`${what} contains "</script", which cannot be inlined`);
  return code;
}

/** Resolves the page core's bindings to the full core's (see above). @type {import('esbuild').Plugin} */
const fullCoreOnly = {
  name: 'full-core-only',
  setup(build) {
    build.onResolve({ filter: /\/pkg\/steepest_page\.js$/ }, () => ({ path: join(root, 'www/pkg/steepest.js') }));
  },
};

/** Writes dist/steepest.html from the page's sources, the optimised full wasm core at `wasmPath` and
 * the data sets; returns its size in bytes, with and without the data sets.
 * @param {string} dist
 * @param {string} wasmPath */
export async function buildSingleFile(dist, wasmPath) {
  const esbuild = await import('esbuild');
  /** @param {string} entry @param {'esm' | 'iife'} format */
  const bundle = async (entry, format) => {
    const out = await esbuild.build({
      entryPoints: [join(root, entry)], bundle: true, write: false, minify: true, format, target: 'es2020', plugins: [fullCoreOnly],
      define: { 'import.meta.url': JSON.stringify(`${BASE}assets/${entry.split('/').pop()}`) }, logLevel: 'warning',
    });
    return out.outputFiles[0].text;
  };
  /** @param {string | Buffer} bytes */
  const inline = (bytes, /** @type {string} */ type) => ({ type, gz: gzipSync(bytes, { level: 9 }).toString('base64') });
  /** @type {Record<string, { type: string, gz: string }>} */
  const files = { 'assets/pkg/steepest_page_bg.wasm': inline(readFileSync(wasmPath), 'application/wasm') };
  /** @type {Record<string, { type: string, gz: string }>} */
  const data = {};
  for (const f of readdirSync(join(root, 'data')).filter((n) => n.endsWith('.bin'))) {
    data[`data/${f}`] = inline(readFileSync(join(root, 'data', f)), 'application/octet-stream');
  }
  const [page, worker] = await Promise.all([bundle('www/main.js', 'esm'), bundle('www/worker.js', 'iife')]);
  const css = (await esbuild.transform(readFileSync(join(root, 'www/style.css'), 'utf8'), { loader: 'css', minify: true })).code;
  if (/<\/style/i.test(css)) throw new Error('the styles contain "</style", which cannot be inlined');

  /** @param {Record<string, { type: string, gz: string }>} inlined */
  const html = (inlined) => {
    const shim = `(${inlineFiles})(${JSON.stringify(BASE)}, ${JSON.stringify(inlined)}, ${JSON.stringify(worker)});`;
    const out = readFileSync(join(root, 'index.html'), 'utf8')
      .replace('<link rel="stylesheet" href="www/style.css">', () => `<style>${css}</style>`)
      .replace('<script type="module" src="www/main.js"></script>', () =>
        `<script>${scriptText(shim, 'the fetch shim')}</script>\n<script type="module">${scriptText(page, 'the page bundle')}</script>`);
    if (/\b(href|src)=["'](\/|www\/)/.test(out)) throw new Error('steepest.html still names a file of the repository');
    return out;
  };
  const withoutData = Buffer.byteLength(html(files));
  const full = html({ ...files, ...data });
  const bytes = Buffer.byteLength(full);
  if (withoutData > MAX_BYTES_WITHOUT_DATA) throw new Error(`steepest.html is ${withoutData} bytes without the data sets (budget ${MAX_BYTES_WITHOUT_DATA})`);
  if (bytes > MAX_BYTES_WITH_DATA) throw new Error(`steepest.html is ${bytes} bytes with the data sets inlined (budget ${MAX_BYTES_WITH_DATA}); leave them to the hosted page`);
  writeFileSync(join(dist, 'steepest.html'), full);
  return { bytes, withoutData };
}
