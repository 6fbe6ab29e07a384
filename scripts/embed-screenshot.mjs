// @ts-check
// docs/embed.png, the README's picture of an embedded figure: the built site (dist/, run npm run
// build first) under a sub-path of Python's http.server, its Embed action's snippet pasted into a
// mock blog post on another origin, taken by headless Chromium. Run: node scripts/embed-screenshot.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './setup.mjs';
import { serve } from './serve.mjs';
import { start } from '../tests/browser/helpers.mjs';
import { servePython } from '../tests/browser/static-server.mjs';

const FIGURE = 'figure[data-plot="f"]';
const site = await servePython('steepest');
const { server, browser } = await start();
const blogDir = mkdtempSync(join(tmpdir(), 'steepest-blog-'));
const blog = await serve(blogDir, 0);
try {
  const app = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await app.goto(`${site.url}?preset=outliers-rotated`);
  await app.waitForFunction(() => window.steepest && window.steepest.ready);
  await app.locator(`${FIGURE} .embed-action`).click();
  const snippet = await app.locator(`${FIGURE} .embed-panel textarea`).inputValue();
  await app.close();

  const code = snippet.split(new URL(site.url).origin).join('https://example.org').replace(/&/g, '&amp;').replace(/</g, '&lt;');
  writeFileSync(join(blogDir, 'post.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Why sign descent loses on a rotated problem</title><link rel="icon" href="data:,">
<style>body{font:17px/1.6 Georgia,serif;color:#222;background:#fdfcf8;margin:0}main{max-width:680px;margin:0 auto;padding:24px}
h1{font-size:28px;line-height:1.25;margin:0 0 4px}.by{color:#777;font-size:14px;margin:0 0 20px}pre{font-size:11px;background:#f1efe8;padding:8px;white-space:pre-wrap;word-break:break-all}</style></head>
<body><main><h1>Why sign descent loses on a rotated problem</h1><p class="by">A blog post · the figure below is live</p>
<p>Two outlier eigenvalues make sign gradient descent's ceiling look promising, but once the problem is rotated the gradients it meets are sparse, and plain gradient descent wins. Drag nothing, install nothing: the figure runs in the page.</p>
${snippet}
<p>The snippet above came from the figure's <b>Embed</b> button:</p><pre>${code}</pre></main></body></html>`);
  const page = await browser.newPage({ viewport: { width: 760, height: 1000 } });
  await page.goto(`http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (blog.address()).port}/post.html`);
  const frame = await (await page.locator('iframe').elementHandle())?.contentFrame();
  if (!frame) throw new Error('the blog post has no embedded frame');
  await frame.waitForFunction(() => window.steepest && window.steepest.ready && window.steepest.runs > 0);
  // embed.js has sized the frame to the figure.
  await page.waitForFunction(() => /** @type {HTMLIFrameElement} */ (document.querySelector('iframe')).style.height !== '');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(root, 'docs/embed.png'), fullPage: true });
  await page.close();
} finally {
  await browser.close();
  server.close();
  blog.close();
  site.stop();
  rmSync(blogDir, { recursive: true, force: true });
}
