// @ts-check
// The page as an embed (`?embed=1&plot=ID`): one figure, with the options of the schema's
// `page.options` (theme, controls, caption), and its height posted to the host page so that
// embed.js there can size the iframe. The message carries nothing but the height.

/** @typedef {import('./types').FigureDef} FigureDef */
/** @typedef {import('./types').Schema} Schema */

/** The value of each page option in `query`: the link's when allowed, else the default (the
 * core's decoder names the bad value in a notice).
 * @param {Schema['page']['options']} options
 * @param {URLSearchParams} query
 * @returns {Record<string, string>} */
export function embedOptions(options, query) {
  return Object.fromEntries(options.map((o) => {
    const v = query.get(o.key);
    return [o.key, v !== null && o.values.includes(v) ? v : o.values[0]];
  }));
}

/** Shows only `figure` in `options`' dress: the theme on the root element (read by the CSS and
 * by plots.js), no caption for `caption=0`, and for `controls=compact` only the figure's own
 * controls (FigureDef.controls) under it.
 * @param {FigureDef} figure
 * @param {FigureDef[]} figures all of them
 * @param {Record<string, string>} options */
export function dressEmbed(figure, figures, options) {
  document.body.classList.add('embed');
  for (const f of figures) /** @type {HTMLElement} */ (document.querySelector(f.selector)).hidden = f !== figure;
  if (options.theme !== 'auto') document.documentElement.dataset.theme = options.theme;
  document.body.classList.toggle('embed-no-caption', options.caption === '0');
  const keep = options.controls === 'compact' ? figure.controls ?? [] : [];
  document.body.classList.toggle('embed-compact', keep.length > 0);
  if (keep.length) {
    // Parameter names are the figure table's, never the URL's.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`body.embed-compact #controls .field${keep.map((p) => `:not([data-param="${p}"])`).join('')} { display: none; }`);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
}

/** Posts the page's height to the page that frames it whenever it changes: the whole message is
 * `{ steepest: 'height', height }` (any origin may read it; it tells nothing else). */
export function postHeight() {
  if (window.parent === window) return;
  let last = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ steepest: 'height', height }, '*');
  }).observe(document.documentElement);
}
