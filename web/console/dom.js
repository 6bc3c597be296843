// @ts-check
/**
 * DOM building without HTML strings: every text goes in through text nodes, every attribute through
 * setAttribute/properties, so data from the API can never become markup (the page's CSP forbids inline script
 * and style as a second line).
 */

/** @typedef {string | number | Node | null | undefined | false} Child */
/** @typedef {Record<string, string | number | boolean | null | undefined | ((ev: any) => void)>} Attrs */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs | null} [attrs] `class`, `for`, any attribute; `on<event>` adds a listener; `true`/`false`
 *   toggles a boolean attribute; `value`/`checked` set the property
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(name.slice(2), v);
    else if (name === 'value' && 'value' in el) /** @type {HTMLInputElement} */ (el).value = String(v);
    else if (name === 'checked' && el instanceof HTMLInputElement) el.checked = Boolean(v);
    else el.setAttribute(name, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

/** @param {Element} el @param {(Child | Child[])[]} children */
export function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's content. @param {Element} el @param {...(Child | Child[])} children */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** A date-time for people, '—' when absent. @param {string | null | undefined} iso */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

/** Compact JSON for a table cell (kept as text). @param {unknown} v @param {number} [max] */
export function json(v, max = 160) {
  if (v === undefined || v === null) return '—';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** An in-page link to a console route. @param {string} route e.g. `/customers/<id>` @param {Child} text */
export function link(route, text) {
  return h('a', { href: `#${route}` }, text);
}

/** @param {string} id */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el;
}
