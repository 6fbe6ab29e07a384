// @ts-check
// A button in a figure's caption that shows and hides a panel of that figure (its data table,
// its embed snippet): a disclosure, with aria-expanded and aria-controls kept true.

/** Adds the button to `caption`; `panel` (which needs an id) starts hidden. `beforeOpen` runs
 * while the panel is still hidden (to measure the figure without it), `opened` once it shows.
 * @param {HTMLElement} caption
 * @param {string} label
 * @param {string} className
 * @param {HTMLElement} panel
 * @param {{ beforeOpen?: () => void, opened?: () => void }} [hooks] */
export function disclosure(caption, label, className, panel, { beforeOpen, opened } = {}) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = className;
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', panel.id);
  panel.hidden = true;
  caption.append(' ', button);
  button.addEventListener('click', () => {
    const open = panel.hidden;
    if (open) beforeOpen?.();
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) opened?.();
  });
}
