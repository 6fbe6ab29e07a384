// @ts-check
// The settings panel on narrow screens: a bottom sheet opened by the Settings button, closed by
// its Close button or Escape, with focus moved into it and back. On wide screens the panel is
// always shown beside the figures and the button is hidden (style.css).

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

export function settingsDrawer() {
  const button = $('settings-open');
  const panel = $('settings');
  /** @param {boolean} open */
  const show = (open) => {
    document.body.classList.toggle('settings-shown', open);
    button.setAttribute('aria-expanded', String(open));
    if (open) {
      // The sheet covers the lower part of the screen: bring the first figure above it.
      const figure = [...document.querySelectorAll('#figures figure')].find((f) => /** @type {HTMLElement} */ (f).offsetParent !== null);
      if (getComputedStyle(panel).position === 'fixed') figure?.scrollIntoView({ block: 'start' });
      /** @type {HTMLElement} */ (panel.querySelector('select, input, button:not(#settings-close)'))?.focus({ preventScroll: true });
    }
    else if (panel.contains(document.activeElement)) button.focus();
  };
  button.addEventListener('click', () => show(button.getAttribute('aria-expanded') !== 'true'));
  $('settings-close').addEventListener('click', () => show(false));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') show(false);
  });
}
