// @ts-check
import { api, qs } from './api.js';
import { h, json, when } from './dom.js';
import { field, messageBox, pagedTable, retryButton, section, select } from './ui.js';

const STATUSES = ['failed', 'pending', 'processing', 'done'];

/**
 * `#/inbox?status=` (operators): accepted callbacks; a failed one shows its error and can be sent round again.
 * @param {import('./app.js').RouteParams} p
 */
export function renderInbox(p) {
  const status = p.query.get('status') ?? 'failed';
  const msg = messageBox();
  /** @type {import('./ui.js').Column[]} */
  const columns = [
    { label: 'Row', cell: (r) => r.id },
    { label: 'Account', cell: (r) => `${r.channel} ${r.account}` },
    { label: 'Kind', cell: (r) => r.kind },
    { label: 'Status', cell: (r) => h('span', { class: `status status-${r.status}` }, r.status) },
    { label: 'Attempts', cell: (r) => String(r.attempts) },
    { label: 'Error', cell: (r) => (r.error ? h('span', { class: 'error-text' }, json(r.error, 300)) : '') },
    { label: 'Received', cell: (r) => when(r.receivedAt) },
    { label: '', cell: (r) => (r.status === 'failed' || r.status === 'pending' ? retryButton('inbox', r.id, msg) : null) },
  ];
  const list = pagedTable(columns, (cursor) => api(`/inbox${qs({ status, limit: 50, cursor })}`), 'read the inbox');
  void list.first();
  const filter = select('status', STATUSES.map((s) => [s, s]), status);
  filter.addEventListener('change', () => {
    location.hash = `#/inbox${qs({ status: filter.value })}`;
  });
  return section('Inbox', h('div', { class: 'inline' }, field('Status', filter)), msg.el, list.el);
}
