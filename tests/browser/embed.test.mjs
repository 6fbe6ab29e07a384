// @ts-check
// Embedding a figure as a blog author does: the Embed action's snippet pasted into a page of
// another origin, with embed.js; the figure renders at a phone's, a column's and a wide page's
// width, and the script makes each frame as tall as its content. Then the embed's options.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../scripts/serve.mjs';
import { start, open } from './helpers.mjs';

/** @type {import('node:http').Server} */
let server;
/** @type {import('node:http').Server} */
let hostServer;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {string} */
let base;
/** The blog's origin: another port, so another origin than the site's. @type {string} */
let blog;
/** The blog's files. */
const blogDir = mkdtempSync(join(tmpdir(), 'steepest-blog-'));

before(async () => {
  ({ server, base, browser } = await start());
  hostServer = await serve(blogDir, 0);
  blog = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (hostServer.address()).port}`;
});
after(async () => {
  await browser?.close();
  server?.close();
  hostServer?.close();
  rmSync(blogDir, { recursive: true, force: true });
});

/** Publishes a blog post with `body` and opens it.
 * @param {string} name @param {string} body @param {{ width: number, height: number }} [viewport] */
async function openPost(name, body, viewport) {
  writeFileSync(join(blogDir, name), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog post</title><link rel="icon" href="data:,"></head><body style="margin:8px">${body}</body></html>`);
  const page = await browser.newPage(viewport ? { viewport } : {});
  await page.goto(`${blog}/${name}`);
  return page;
}

const SMALL_SWEEP = 'view=sweep&d=12&outliers=2&steps=3000&sweep.spread_points=3&sweep.rotation_points=3&sweep.problems=2&sweep.spread_max=5';
const SMALL_NETWORK = 'view=hessian&problem=network&dataset=breast_cancer&hidden=4&m0=adam&m0.lr=0.01&steps=10&target=0';
/** One figure of each kind, with the settings of the page it is embedded from. */
const KINDS = [
  { plot: 'grad', query: 'd=10&rotation=0.5', selector: 'figure[data-plot="grad"]' },
  { plot: 'bounds', query: 'd=10&rotation=0.5', selector: 'figure[data-plot="bounds"]' },
  { plot: 'sweep-measured', query: SMALL_SWEEP, selector: 'figure[data-sweep="measured"]' },
  { plot: 'sweep-scatter', query: SMALL_SWEEP, selector: 'figure[data-sweep="scatter"]' },
  { plot: 'anatomy-hessian', query: SMALL_NETWORK, selector: 'figure[data-anatomy="hessian"]' },
  { plot: 'anatomy-spectrum', query: SMALL_NETWORK, selector: 'figure[data-anatomy="spectrum"]' },
  { plot: 'geo-2d', query: 'view=geometry2d&problem=quad2d&x0=2,1.5&m0=gd&m1=sign_gd&m2=coordinate&steps=40&target=0', selector: 'figure[data-geo="2d"]' },
];
const WIDTHS = [320, 640, 960];

/** The snippet the figure's Embed action gives on the page with `query`.
 * @param {string} query @param {string} selector */
async function snippetOf(query, selector) {
  const { page, problems } = await open(browser, base, `/?${query}`);
  await page.locator(`${selector} .embed-action`).click();
  const snippet = await page.locator(`${selector} .embed-panel textarea`).inputValue();
  assert.deepEqual(problems, []);
  await page.close();
  return snippet;
}

test('the Embed action gives one paste: an iframe with the settings, a title, lazy loading, full width and a height, and the script', async () => {
  const snippet = await snippetOf('d=10&rotation=0.5', 'figure[data-plot="grad"]');
  const [iframe, script] = snippet.split('\n');
  const src = new URL(/** @type {string} */ (iframe.match(/ src="([^"]+)"/)?.[1]).replace(/&amp;/g, '&'));
  assert.equal(src.origin, base);
  assert.equal(src.searchParams.get('embed'), '1');
  assert.equal(src.searchParams.get('plot'), 'grad');
  assert.equal(src.searchParams.get('d'), '10');
  assert.equal(src.searchParams.get('rotation'), '0.5');
  assert.match(iframe, / title="Steepest: Gradient norm ‖gt‖2" /);
  assert.match(iframe, / loading="lazy" width="100%" height="\d{3}"/);
  assert.equal(script, `<script src="${base}/www/embed.js" async></script>`);
});

for (const kind of KINDS) {
  test(`${kind.plot}: embedded in a page of another origin, it renders at ${WIDTHS.join(', ')} px and embed.js sizes each frame to its content`, async () => {
    const snippet = await snippetOf(kind.query, kind.selector);
    const body = `${WIDTHS.map((w) => `<p>Prose before the figure.</p><div style="width:${w}px">${snippet}</div>`).join('\n')}<p>Prose after it.</p>`;
    const page = await openPost(`${kind.plot}.html`, body, { width: 1100, height: 3000 });
    /** @type {string[]} */
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    const frames = await page.locator('iframe').elementHandles();
    assert.equal(frames.length, WIDTHS.length);
    for (const [i, handle] of frames.entries()) {
      const frame = /** @type {import('playwright-core').Frame} */ (await handle.contentFrame());
      await frame.waitForFunction(() => window.steepest && window.steepest.ready, null, { timeout: 30000 });
      // The figure's data may follow the first paint (a sweep, a Hessian); wait until it is drawn.
      await frame.waitForFunction((sel) => {
        const c = /** @type {HTMLCanvasElement | null} */ (document.querySelector(`${sel} canvas`));
        if (!c || !c.width) return false;
        const d = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d')).getImageData(0, 0, c.width, c.height).data;
        let ink = 0;
        for (let k = 0; k < d.length; k += 4) if (d[k] !== d[0] || d[k + 1] !== d[1]) ink++;
        return ink / (d.length / 4) > 0.01;
      }, kind.selector, { timeout: 30000 });
      assert.equal(await frame.evaluate(() => document.body.classList.contains('embed')), true);
      // Nothing sticks out sideways, and the canvas is as wide as the frame allows.
      const fit = await frame.evaluate((sel) => {
        const canvas = /** @type {HTMLCanvasElement} */ (document.querySelector(`${sel} canvas`));
        return { scroll: document.documentElement.scrollWidth, width: innerWidth, canvas: canvas.getBoundingClientRect().right };
      }, kind.selector);
      assert.ok(fit.scroll <= fit.width && fit.canvas <= fit.width, `${WIDTHS[i]} px: ${JSON.stringify(fit)}`);
      // embed.js on the blog sets the frame's height to the content's, within 2 px: the whole
      // figure (legend, colour scale, the link back) is inside the frame.
      await page.waitForFunction(([k, want]) => Math.abs(document.querySelectorAll('iframe')[k].getBoundingClientRect().height - want) <= 2,
        [i, await frame.evaluate(() => document.documentElement.getBoundingClientRect().height)], { timeout: 10000 });
      const inner = await frame.evaluate(() => ({ content: document.documentElement.getBoundingClientRect().height, view: innerHeight, link: document.getElementById('open-full')?.getBoundingClientRect().bottom }));
      assert.ok(Math.abs(inner.content - inner.view) <= 2 && inner.link <= inner.view + 1, `${WIDTHS[i]} px: ${JSON.stringify(inner)}`);
    }
    // The frames grow with their width: the script sized each, not one height for all.
    const heights = await page.evaluate(() => [...document.querySelectorAll('iframe')].map((f) => f.getBoundingClientRect().height));
    assert.ok(heights[0] < heights[2], JSON.stringify(heights));
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('embed.js takes a height only from the frame\'s own origin and in the exact shape', async () => {
  const snippet = await snippetOf('d=10', 'figure[data-plot="grad"]');
  const page = await openPost('forged.html', snippet);
  const frame = /** @type {import('playwright-core').Frame} */ (await (await page.locator('iframe').elementHandle()).contentFrame());
  await frame.waitForFunction(() => window.steepest && window.steepest.ready, null, { timeout: 30000 });
  const settled = await frame.evaluate(() => document.documentElement.getBoundingClientRect().height);
  await page.waitForFunction((h) => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - h) <= 2, settled);
  // Posted by the blog page itself, and by the frame with extra fields or a bad height: ignored.
  await page.evaluate(() => window.postMessage({ steepest: 'height', height: 55 }, '*'));
  await frame.evaluate(() => {
    window.parent.postMessage({ steepest: 'height', height: 66, html: '<b>' }, '*');
    window.parent.postMessage({ steepest: 'height', height: '77' }, '*');
    window.parent.postMessage({ steepest: 'height', height: 1e9 }, '*');
  });
  await page.waitForTimeout(300);
  const h = await page.evaluate(() => document.querySelector('iframe').getBoundingClientRect().height);
  assert.ok(Math.abs(h - settled) <= 2, `${h} against ${settled}`);
  await page.close();
});

test('embed options: theme, compact controls under the figure, no caption, and a named notice for a bad value', async () => {
  // The rotated-outliers preset's figure with its rotation slider under it, dark, no caption.
  const { page, problems } = await open(browser, base, '/?preset=outliers-rotated&embed=1&plot=f&theme=dark&controls=compact&caption=0', { viewport: { width: 640, height: 900 } });
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(30, 30, 30)');
  assert.equal(await page.locator('figure[data-plot="f"] figcaption').isVisible(), false);
  const shown = await page.evaluate(() => [...document.querySelectorAll('#controls .field')].filter((e) => /** @type {HTMLElement} */ (e).offsetParent !== null).map((e) => /** @type {HTMLElement} */ (e).dataset.param));
  assert.deepEqual(shown.sort(), ['problem.lambda_max', 'problem.rotation']);
  const figureBottom = await page.locator('figure[data-plot="f"]').evaluate((e) => e.getBoundingClientRect().bottom);
  const slider = page.locator('.field[data-param="problem.rotation"] input[type=range]');
  assert.ok((await slider.boundingBox()).y >= figureBottom, 'the rotation slider is under the figure');
  // It works: turning the rotation back to 0 recomputes.
  const runs = await page.evaluate(() => window.steepest.runs);
  await page.locator('.field[data-param="problem.rotation"] input[type=number]').fill('0');
  await page.locator('.field[data-param="problem.rotation"] input[type=number]').press('Enter');
  await page.waitForFunction((n) => window.steepest.runs > n, runs);
  assert.equal(await page.evaluate(() => window.steepest.spec.problem.rotation), 0);
  assert.deepEqual(problems, []);
  await page.close();

  const light = await open(browser, base, '/?embed=1&plot=grad&theme=light', { viewport: { width: 640, height: 700 } });
  await light.page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await light.page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
  assert.equal(await light.page.locator('figure[data-plot="grad"] figcaption').isVisible(), true);
  assert.equal(await light.page.locator('#controls').isVisible(), false);
  await light.page.close();

  const bad = await open(browser, base, '/?embed=1&plot=grad&theme=blue&controls=all&caption=no');
  assert.deepEqual(await bad.page.locator('#notices li').allTextContents(), [
    'theme = blue: one of auto, light, dark; using auto',
    'controls = all: one of none, compact; using none',
    'caption = no: one of 1, 0; using 1',
  ]);
  assert.equal(await bad.page.locator('figure[data-plot="grad"] figcaption').isVisible(), true);
  await bad.page.close();
});
