// @ts-check
// Dismissible notices above the page (e.g. settings in a link that could not be used).

/** Shows `title` over a list of `lines`, as text. A notice with a `key` replaces the one shown
 * under the same key (a state that changes with each edit, not a new event).
 * @param {string} title
 * @param {string[]} lines
 * @param {string} [key] */
export function notice(title, lines, key) {
  const box = document.createElement('div');
  box.className = 'notice';
  box.setAttribute('role', 'alert');
  if (key) box.dataset.key = key;
  const head = document.createElement('strong');
  head.textContent = title;
  const list = document.createElement('ul');
  for (const l of lines) {
    const li = document.createElement('li');
    li.textContent = l;
    list.append(li);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'dismiss';
  close.textContent = 'Dismiss';
  close.addEventListener('click', () => box.remove());
  box.append(head, list, close);
  const shown = key ? keyed(key) : null;
  if (shown) shown.replaceWith(box);
  else /** @type {HTMLElement} */ (document.getElementById('notices')).append(box);
}

/** Removes the notice shown under `key`, if any.
 * @param {string} key */
export function clearNotice(key) {
  keyed(key)?.remove();
}

/** @param {string} key */
function keyed(key) {
  return [.../** @type {HTMLElement} */ (document.getElementById('notices')).children]
    .find((e) => e instanceof HTMLElement && e.dataset.key === key);
}
