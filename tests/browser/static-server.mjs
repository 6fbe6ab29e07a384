// @ts-check
// A static server that is not ours: Python's http.server, serving a temporary folder in which
// the built site (dist/) sits at a sub-path, as on a university web space or GitHub Pages.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { root } from '../../scripts/setup.mjs';

/** Serves `site` (default dist/) at `/{subPath}/` of a fresh `python3 -m http.server` on a free
 * loopback port; resolves to the page's URL (ending in `/`) and a `stop` function.
 * @param {string} subPath e.g. `some/dir/steepest`
 * @param {string} [site] */
export async function servePython(subPath, site = join(root, 'dist')) {
  if (!existsSync(join(site, 'index.html'))) throw new Error(`${site}/index.html is missing: run npm run build first`);
  const top = mkdtempSync(join(tmpdir(), 'steepest-site-'));
  mkdirSync(dirname(join(top, subPath)), { recursive: true });
  symlinkSync(site, join(top, subPath));
  const child = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', top], { stdio: ['ignore', 'pipe', 'ignore'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/port (\d+)/);
      if (m) resolve(Number(m[1]));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`python3 -m http.server exited with ${code}: ${out}`)));
  });
  const stop = () => {
    child.kill();
    rmSync(top, { recursive: true, force: true });
  };
  return { url: `http://127.0.0.1:${port}/${subPath}/`, stop };
}
