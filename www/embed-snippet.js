// @ts-check
// The Embed action of each figure: a ready snippet for a blog post, an <iframe> of this page
// showing only that figure with the current settings, and the optional embed.js that keeps the
// iframe as tall as its content. Copied to the clipboard and shown to select by hand.
import { disclosure } from './disclosure.js';

/** @typedef {import('./types').FigureDef} FigureDef */

/** The snippet's allowance for the "open in the playground" line under the figure, in CSS px. */
const LINK_LINE_PX = 40;

/** @param {string} text */
const attr = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The visible text of `element`, outside its buttons and small print, spaces collapsed (the
 * title of a figure's embed and of its PNG).
 * @param {Element | null} element */
export function textShown(element) {
  if (!element) return '';
  const walk = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let text = '';
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const parent = /** @type {Element} */ (n.parentElement);
    if (!parent.closest('button, small') && parent.checkVisibility()) text += n.textContent;
  }
  return text.replace(/\s+/g, ' ').trim();
}

/** The snippet embedding `figure` (its element `fig`) with the settings now in the URL; its
 * height is the figure's on this page, which embed.js then keeps equal to the content.
 * @param {FigureDef} figure
 * @param {HTMLElement} fig */
export function embedSnippet(figure, fig) {
  const src = new URL(location.href);
  // The figure brings its own view.
  src.searchParams.delete('view');
  src.searchParams.set('embed', '1');
  src.searchParams.set('plot', figure.name);
  // The caption's words as shown, without its button and its small print.
  const caption = textShown(fig.querySelector('figcaption')) || figure.name;
  const height = Math.ceil(fig.getBoundingClientRect().height + LINK_LINE_PX);
  const script = new URL('./embed.js', import.meta.url);
  return `<iframe src="${attr(src.href)}" title="${attr(`Steepest: ${caption}`)}" loading="lazy" width="100%" height="${height}" style="border:0"></iframe>\n`
    + `<script src="${attr(script.href)}" async></script>`;
}

/** Adds an Embed button to every figure, which shows its snippet (selected) and copies it.
 * A page opened from a file has no address another page could embed, so it gets none.
 * @param {FigureDef[]} figures
 * @param {() => void} settle brings the URL up to date with the settings */
export function addEmbedActions(figures, settle) {
  if (location.protocol === 'file:') return;
  for (const figure of figures) {
    const fig = /** @type {HTMLElement} */ (document.querySelector(figure.selector));
    const caption = /** @type {HTMLElement} */ (fig.querySelector('figcaption'));
    const panel = document.createElement('div');
    panel.className = 'embed-panel';
    panel.id = `embed-${figure.name}`;
    const box = document.createElement('textarea');
    box.readOnly = true;
    box.rows = 4;
    box.setAttribute('aria-label', `Embed code of this figure (${figure.name})`);
    const note = document.createElement('p');
    panel.append(box, note);
    caption.after(panel);
    disclosure(caption, 'Embed', 'embed-action', panel, {
      // Measured before the panel opens inside the figure.
      beforeOpen: () => {
        settle();
        box.value = embedSnippet(figure, fig);
      },
      opened: async () => {
        box.select();
        try {
          await navigator.clipboard.writeText(box.value);
          note.textContent = 'Copied: paste it into your page. The script line is optional; it keeps the frame as tall as the figure.';
        } catch {
          note.textContent = 'Copy this into your page. The script line is optional; it keeps the frame as tall as the figure.';
        }
      },
    });
  }
}
