// @ts-check
import { api, qs } from './api.js';
import { h, json, when } from './dom.js';
import { can } from './session.js';
import { field, messageBox, pagedTable, retryButton, section, select } from './ui.js';

/**
 * `#/outbox?status=`: pushes to WeChat by status; a dead row shows its errcode and operators can retry it.
 * @param {import('./app.js').RouteParams} p
 */
export function renderOutbox(p) {
  const status = p.query.get('status') ?? '';
  const msg = messageBox();
  /** @type {import('./ui.js').Column[]} */
  const columns = [
    { label: 'Row', cell: (r) => r.id },
    { label: 'Channel', cell: (r) => `${r.channel} ${r.account}` },
    { label: 'Tag', cell: (r) => (r.tagId ? h('a', { href: `#/tags/${encodeURIComponent(r.tagId)}` }, `#${r.tagId}`) : '—') },
    { label: 'Status', cell: (r) => h('span', { class: `status status-${r.status}` }, r.status) },
    { label: 'Attempts', cell: (r) => String(r.attempts) },
    { label: 'Last error', cell: (r) => (r.lastErrcode || r.lastError ? h('span', { class: 'error-text' }, `${r.lastErrcode ?? ''} ${r.lastError ?? ''}`.trim()) : '') },
    { label: 'Payload', cell: (r) => h('code', { class: 'payload' }, json(r.payload)) },
    { label: 'Next attempt', cell: (r) => when(r.nextAttemptAt) },
    { label: '', cell: (r) => (r.status === 'dead' && can('operator') ? retryButton('outbox', r.id, msg) : null) },
  ];
  const list = pagedTable(columns, (cursor) => api(`/outbox${qs({ status, limit: 50, cursor })}`), 'read the outbox');
  void list.first();
  const filter = select('status', [['', 'any status'], ['pending', 'pending'], ['in_flight', 'in flight'], ['done', 'done'], ['dead', 'dead']], status);
  filter.addEventListener('change', () => {
    location.hash = `#/outbox${qs({ status: filter.value })}`;
  });
  return section('Outbox', h('div', { class: 'inline' }, field('Status', filter)), msg.el, list.el);
}
