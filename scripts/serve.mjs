// @ts-check
// A small static file server for the site: sends application/wasm, gzips what compresses (the
// wasm cores above all) for a client that accepts it, refuses paths outside the project root,
// binds to loopback only. Links are short, but a hand-made one may hold a large
// matrix: the header limit is 1 MB rather than Node's 16 KB, so such a link is read, not refused
// with 431.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipped = promisify(gzip);

/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** What is worth gzipping: text and wasm (a wasm core is about a third of its size gzipped). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg']);

/** Gzipped bodies by file, each kept while the file's modification time is unchanged.
 * @type {Map<string, { mtime: number, body: Buffer }>} */
const compressed = new Map();

/** The body to send for `file`, gzipped when the client accepts gzip and it compresses.
 * @param {string} file @param {number} mtime @param {Buffer} body @param {string} accepts
 * @returns {Promise<{ body: Buffer, encoding?: string }>} */
async function encode(file, mtime, body, accepts) {
  if (!COMPRESSIBLE.has(extname(file)) || !/\bgzip\b/.test(accepts)) return { body };
  let c = compressed.get(file);
  if (c?.mtime !== mtime) {
    c = { mtime, body: await gzipped(body) };
    compressed.set(file, c);
  }
  return { body: c.body, encoding: 'gzip' };
}

/** Serves `root` on 127.0.0.1:`port` (0 picks a free port); resolves to the http.Server.
 * @param {string} root
 * @param {number} port
 * @returns {Promise<import('node:http').Server>} */
export function serve(root, port) {
  const server = createServer({ maxHeaderSize: 1 << 20 }, async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const { mtimeMs } = await stat(file);
      const { body, encoding } = await encode(file, mtimeMs, await readFile(file), String(req.headers['accept-encoding'] ?? ''));
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] || 'application/octet-stream',
        'cache-control': 'no-cache',
        vary: 'accept-encoding',
        ...(encoding ? { 'content-encoding': encoding } : {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
