// @ts-check
import { api, qs } from './api.js';
import { h, replace, when } from './dom.js';
import { pagedTable, section } from './ui.js';

/** @type {import('./ui.js').Column[]} */
export const EVENT_COLUMNS = [
  { label: 'When', cell: (e) => when(e.occurredAt) },
  { label: 'Type', cell: (e) => e.type },
  { label: 'Source', cell: (e) => `${e.source} ${e.account}` },
  { label: 'Payload', cell: (e) => h('code', { class: 'payload' }, JSON.stringify(e.payload ?? null)) },
];

/** The whole timeline (`GET /customers/:id/events`), newest first, loaded on request and paged with "More". @param {string} id */
export function timelinePanel(id) {
  const holder = h('div');
  const open = h('button', { type: 'button', onclick: () => {
    const t = pagedTable(EVENT_COLUMNS, (cursor) => api(`/customers/${encodeURIComponent(id)}/events${qs({ limit: 50, cursor })}`), 'read the timeline');
    replace(holder, t.el);
    void t.first();
  } }, 'Show the full timeline');
  replace(holder, open);
  return section('Timeline', holder);
}
