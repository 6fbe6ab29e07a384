// The page in headless Chromium: it loads with no console errors, and it computes the same
// numbers as the native CLI for the same spec.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { root, CHROMIUM } from '../../scripts/setup.mjs';

let server, browser, base;

before(async () => {
  server = await serve(root, 0);
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function openPage(path) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(base + path);
  return { page, problems };
}

test('the page loads the wasm core and shows results without console errors', async () => {
  const { page, problems } = await openPage('/');
  await page.waitForFunction(() => window.steepestResult !== undefined, null, { timeout: 10000 });
  const rows = await page.locator('#results tbody tr').count();
  assert.equal(rows, 2);
  const firstCell = await page.locator('#results tbody tr td').first().textContent();
  assert.equal(firstCell, 'GD (1/L)');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the server sends wasm as application/wasm and refuses paths outside the site', async () => {
  const wasm = await fetch(`${base}/www/pkg/steepest_bg.wasm`);
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const outside = await fetch(`${base}/%2e%2e/%2e%2e/etc/passwd`);
  assert.notEqual(outside.status, 200);
});

test('the page and the native CLI give identical numbers for the default spec', async () => {
  const { page } = await openPage('/');
  await page.waitForFunction(() => window.steepestResult !== undefined, null, { timeout: 10000 });
  const web = await page.evaluate(() => JSON.stringify(window.steepestResult));
  const cli = execFileSync(join(root, 'target/release/steepest'), ['run', '--spec', '-'], { input: '{}' }).toString();
  // Compare as parsed JSON: both sides print shortest round-trip decimals, so equal values
  // mean bit-identical doubles.
  assert.deepEqual(JSON.parse(web), JSON.parse(cli));
  await page.close();
});
