// @ts-check
// npm run build: the site in dist/, ready for any static host at any sub-path.
//
//   dist/index.html            the page (every URL in it relative)
//   dist/assets/NAME.HASH.EXT  the JS modules, the worker, the CSS and the two wasm cores (the page
//                              core, and the full core fetched when needed: www/core.js), each named
//                              by a hash of its content (cache them forever), with .gz and .br copies
//   dist/assets/embed.js       the optional script of an embed's host page (www/embed.js), under a
//                              fixed name since blog posts name it
//   dist/data/*.bin            the shipped data sets, fetched when a network spec needs one
//   dist/steepest.html         with --single: the whole site in one file for file:// (single-file.mjs)
//
// The JS is minified module by module (esbuild's transform: no bundling, so every module keeps its
// name and imports), the wasm is optimised for size by binaryen's wasm-opt, and every reference
// between files (imports, the worker, the wasm, the stylesheet) is rewritten to the hashed name.
// Nothing else from the repository is copied.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { CORES, buildWasm, ensureNodeModules, log, root, sh } from './setup.mjs';
import { buildSingleFile } from './single-file.mjs';

const DIST = join(root, 'dist');
const ASSETS = join(DIST, 'assets');
/** Files at least this large get precompressed copies. */
const COMPRESS_MIN_BYTES = 1024;
/** What the default page may transfer, gzipped (the page core, JS, CSS, HTML; not the full core,
 * which it does not fetch): 400 KB. */
const PAGE_BUDGET_BYTES = 400 * 1024;
/** The single file's budget without the data sets, uncompressed: 1.2 MB. */
const SINGLE_BUDGET_BYTES = 1.2 * 1024 * 1024;

/** @param {Buffer | string} bytes */
const hashOf = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 10);

/** `dir/name.ext` -> `name.HASH.ext`.
 * @param {string} file @param {Buffer | string} bytes */
function hashedName(file, bytes) {
  const name = basename(file);
  const dot = name.lastIndexOf('.');
  return `${name.slice(0, dot)}.${hashOf(bytes)}${name.slice(dot)}`;
}

/** The relative references a module makes to other files of the site: static and dynamic
 * imports (`from './x.js'`, `import('./x.js')`) and `new URL('x', import.meta.url)`, as written
 * in the source.
 * @param {string} code */
function references(code) {
  const found = new Set();
  for (const m of code.matchAll(/\bfrom\s*["'](\.{1,2}\/[^"']+)["']/g)) found.add(m[1]);
  for (const m of code.matchAll(/\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)) found.add(m[1]);
  for (const m of code.matchAll(/new URL\(\s*["']([^"'`]+)["']\s*,\s*import\.meta\.url\s*\)/g)) found.add(m[1]);
  return [...found];
}

/** Replaces each quoted reference `spec` by its hashed file name (all assets share one folder).
 * @param {string} code @param {Map<string, string>} renames spec -> new name */
function rewrite(code, renames) {
  let out = code;
  for (const [spec, name] of renames) {
    out = out.split(`"${spec}"`).join(`"./${name}"`).split(`'${spec}'`).join(`'./${name}'`);
  }
  return out;
}

async function main() {
  ensureNodeModules();
  buildWasm();
  const esbuild = await import('esbuild');
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(ASSETS, { recursive: true });

  // The wasm cores, smaller: wasm-opt (binaryen, from npm) with the features rustc enabled.
  /** The optimised wasm of each core, by name. @type {Record<string, string>} */
  const optimised = {};
  for (const { name } of CORES) {
    optimised[name] = join(root, `target/${name}_bg.opt.wasm`);
    log(`optimising the wasm core ${name} for size (wasm-opt -Oz)...`);
    sh('node', [join(root, 'node_modules/binaryen/bin/wasm-opt'), '-Oz', '--enable-simd', '--enable-bulk-memory',
      '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-multivalue',
      '--enable-reference-types', join(root, `www/pkg/${name}_bg.wasm`), '-o', optimised[name]]);
  }
  /** Source path (relative to the root) -> hashed asset name. @type {Map<string, string>} */
  const done = new Map();
  const emit = (/** @type {string} */ source, /** @type {Buffer | string} */ bytes) => {
    const name = hashedName(source, bytes);
    writeFileSync(join(ASSETS, name), bytes);
    done.set(source, name);
    return name;
  };
  for (const { name } of CORES) emit(`www/pkg/${name}_bg.wasm`, readFileSync(optimised[name]));

  // Modules in dependency order (leaves first), so each is hashed after what it names.
  const modules = [...CORES.map(({ name }) => `www/pkg/${name}.js`), ...readdirSync(join(root, 'www')).filter((f) => f.endsWith('.js') && f !== 'embed.js').map((f) => `www/${f}`)];
  /** @param {string} from @param {string} spec */
  const resolve = (from, spec) => {
    const dir = from.slice(0, from.lastIndexOf('/'));
    const parts = [...dir.split('/'), ...spec.split('/')];
    /** @type {string[]} */
    const out = [];
    for (const p of parts) {
      if (p === '..') out.pop();
      else if (p !== '.') out.push(p);
    }
    return out.join('/');
  };
  const pending = new Set(modules);
  while (pending.size) {
    const ready = [...pending].find((m) => references(readFileSync(join(root, m), 'utf8'))
      .map((s) => resolve(m, s)).every((t) => done.has(t) || !modules.includes(t) && !t.endsWith('.wasm')));
    if (!ready) throw new Error(`import cycle among ${[...pending].join(', ')}`);
    pending.delete(ready);
    const source = readFileSync(join(root, ready), 'utf8');
    /** @type {Map<string, string>} */
    const renames = new Map();
    for (const spec of references(source)) {
      const target = done.get(resolve(ready, spec));
      if (target) renames.set(spec, target);
    }
    const { code } = await esbuild.transform(rewrite(source, renames), { minify: true, format: 'esm', target: 'es2020' });
    emit(ready, code);
  }

  const hostScript = await esbuild.transform(readFileSync(join(root, 'www/embed.js'), 'utf8'), { minify: true, target: 'es2020' });
  writeFileSync(join(ASSETS, 'embed.js'), hostScript.code);

  const css = await esbuild.transform(readFileSync(join(root, 'www/style.css'), 'utf8'), { loader: 'css', minify: true });
  emit('www/style.css', css.code);

  const html = readFileSync(join(root, 'index.html'), 'utf8')
    .replace('href="www/style.css"', `href="assets/${done.get('www/style.css')}"`)
    .replace('src="www/main.js"', `src="assets/${done.get('www/main.js')}"`);
  if (/\b(href|src)=["'](\/|www\/)/.test(html)) throw new Error('index.html still names a file outside dist/ or an absolute path');
  writeFileSync(join(DIST, 'index.html'), html);
  mkdirSync(join(DIST, 'data'));
  for (const f of readdirSync(join(root, 'data')).filter((n) => n.endsWith('.bin'))) cpSync(join(root, 'data', f), join(DIST, 'data', f));

  // The full core's files are fetched only when a spec or view needs them (www/core.js).
  const fullCore = new Set(CORES.filter((c) => c.onDemand).flatMap(({ name }) => [`www/pkg/${name}.js`, `www/pkg/${name}_bg.wasm`]).map((f) => done.get(f)));
  let page = 0;
  let full = 0;
  for (const dir of [DIST, ASSETS]) {
    for (const f of readdirSync(dir).filter((n) => /\.(html|js|css|wasm)$/.test(n))) {
      const bytes = readFileSync(join(dir, f));
      const gz = gzipSync(bytes, { level: 9 });
      if (fullCore.has(f)) full += gz.length;
      // embed.js is loaded by the pages that embed a figure, not by this one.
      else if (f !== 'embed.js') page += gz.length;
      if (bytes.length < COMPRESS_MIN_BYTES) continue;
      writeFileSync(join(dir, `${f}.gz`), gz);
      writeFileSync(join(dir, `${f}.br`), brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
    }
  }
  log(`built dist/: the page is ${(page / 1024).toFixed(1)} KB gzipped (the page core, JS, CSS, HTML; budget ${PAGE_BUDGET_BYTES / 1024} KB); the full core adds ${(full / 1024).toFixed(1)} KB when a network or the Hessian view needs it`);
  if (page > PAGE_BUDGET_BYTES) throw new Error(`the page is ${page} bytes gzipped, over its budget of ${PAGE_BUDGET_BYTES}`);
  if (process.argv.includes('--single')) {
    const { bytes, withoutData } = await buildSingleFile(DIST, optimised.steepest);
    log(`built dist/steepest.html: ${(bytes / 1024).toFixed(1)} KB with the data sets inlined, ${(withoutData / 1024).toFixed(1)} KB without`);
    if (withoutData > SINGLE_BUDGET_BYTES) {
      throw new Error(`dist/steepest.html without data is ${withoutData} bytes, over its budget of ${SINGLE_BUDGET_BYTES}`);
    }
  }
}

if (!existsSync(join(root, 'index.html'))) throw new Error('run from the repository');
await main();
