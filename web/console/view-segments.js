// @ts-check
import { api, qs } from './api.js';
import { h, link, when } from './dom.js';
import { can } from './session.js';
import { pagedTable, section } from './ui.js';

/** @type {import('./ui.js').Column[]} */
const COLUMNS = [
  { label: 'Segment', cell: (s) => link(`/segments/${encodeURIComponent(s.id)}`, s.name) },
  { label: 'Tag', cell: (s) => (s.tagId ? link(`/tags/${encodeURIComponent(s.tagId)}`, `#${s.tagId}`) : '—') },
  { label: 'Schedule', cell: (s) => s.schedule ?? 'on demand' },
  { label: 'Enabled', cell: (s) => (s.enabled ? 'yes' : 'no') },
  { label: 'Last run', cell: (s) => when(s.lastRunAt) },
  { label: 'Members', cell: (s) => (s.lastCount === null ? '—' : String(s.lastCount)) },
  { label: 'Last error', cell: (s) => (s.lastError ? h('span', { class: 'error-text' }, s.lastError) : '') },
];

/** `#/segments`: rules producing tags, with their last run. */
export function renderSegments() {
  const list = pagedTable(COLUMNS, (cursor) => api(`/segments${qs({ limit: 100, cursor })}`), 'list segments');
  void list.first();
  const create = can('operator') ? h('p', null, h('a', { href: '#/segments/new', class: 'button' }, 'New segment')) : null;
  return section('Segments', create, list.el);
}
