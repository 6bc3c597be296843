// @ts-check
import { api } from './api.js';

/**
 * The tag catalog as `<select>` options (`[id, name]`), read once per view; the API pages it at 500 a page.
 * @returns {Promise<[string, string][]>}
 */
export async function tagOptions() {
  /** @type {[string, string][]} */
  const out = [];
  let cursor = '';
  do {
    const page = await api(`/tags?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const t of page.items) out.push([String(t.id), t.groupName ? `${t.groupName} / ${t.name}` : String(t.name)]);
    cursor = page.nextCursor ?? '';
  } while (cursor && out.length < 5000);
  return out;
}
