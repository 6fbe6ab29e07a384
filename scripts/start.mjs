// @ts-check
// npm start: install what is missing, build the wasm core, serve the playground.
// Port: PORT=9000 npm start, or npm start -- --port 9000.
import { buildWasm, log, root } from './setup.mjs';
import { serve } from './serve.mjs';

const i = process.argv.indexOf('--port');
const port = Number(i > 0 ? process.argv[i + 1] : process.env.PORT || 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`error: port ${process.argv[i + 1] ?? process.env.PORT}: allowed an integer from 0 to 65535`);
  process.exit(2);
}
try {
  buildWasm();
} catch (e) {
  console.error(`error: ${/** @type {Error} */ (e).message}`);
  process.exit(1);
}
const server = await serve(root, port);
log(`serving the playground at http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}/  (Ctrl-C stops)`);
