// @ts-check
// Dismissible notices above the page (e.g. settings in a link that could not be used).

/** Shows `title` over a list of `lines`, as text.
 * @param {string} title
 * @param {string[]} lines */
export function notice(title, lines) {
  const box = document.createElement('div');
  box.className = 'notice';
  box.setAttribute('role', 'alert');
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
  /** @type {HTMLElement} */ (document.getElementById('notices')).append(box);
}
