// @ts-check
// npm run build: the release wasm and its bindings into www/pkg.
import { buildWasm, log } from './setup.mjs';

buildWasm();
log('built www/pkg');
