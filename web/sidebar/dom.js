// @ts-check
/** Small DOM helpers: every piece of data goes in as text (textContent), never as HTML. */

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el;
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {{ text?: string, className?: string }} [opts]
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, opts = {}, children = []) {
  const node = document.createElement(tag);
  if (opts.className) node.className = opts.className;
  if (opts.text !== undefined) node.textContent = opts.text;
  for (const c of children) node.append(c);
  return node;
}

/**
 * @param {HTMLElement} list
 * @param {Node[]} items
 * @param {string} emptyText
 */
export function fillList(list, items, emptyText) {
  list.replaceChildren(...(items.length ? items : [el('li', { className: 'empty', text: emptyText })]));
}

/** @param {string | null | undefined} iso */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('zh-CN', { hour12: false });
}
