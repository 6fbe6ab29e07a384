// @ts-check
// Steepest's optional embed script, for the page that embeds a figure: keeps each Steepest
// <iframe> exactly as tall as its content. The embedded page posts `{ steepest: 'height',
// height }`; a message is used only if it comes from one of this page's iframes, from the origin
// of that iframe's src, and has exactly that shape with a sane height. Nothing else is read.
(() => {
  /** Heights outside this range are not a figure's (CSS px). */
  const MAX_HEIGHT = 10000;
  addEventListener('message', (event) => {
    const d = event.data;
    if (!d || typeof d !== 'object' || Object.keys(d).length !== 2 || d.steepest !== 'height') return;
    const h = d.height;
    if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0 || h > MAX_HEIGHT) return;
    for (const frame of document.querySelectorAll('iframe')) {
      if (frame.contentWindow !== event.source) continue;
      if (new URL(frame.src, location.href).origin === event.origin) frame.style.height = `${Math.ceil(h)}px`;
      return;
    }
  });
})();
