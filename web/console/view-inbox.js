// @ts-check
import { api, qs } from './api.js';
import { h, json, replace, when } from './dom.js';
import { field, messageBox, pagedTable, section, select } from './ui.js';

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
    { label: '', cell: (r) => (r.status === 'failed' || r.status === 'pending' ? retryButton(r) : null) },
  ];
  /** @param {any} r */
  function retryButton(r) {
    const b = h('button', { type: 'button', onclick: async () => {
      b.disabled = true;
      try {
        const fresh = await api(`/inbox/${encodeURIComponent(r.id)}/retry`, { method: 'POST' });
        replace(b.parentElement ?? b, `queued (${fresh.status})`);
        msg.ok(`Inbox row ${r.id} queued again.`);
      } catch (e) {
        b.disabled = false;
        msg.error(e, 'retry inbox rows');
      }
    } }, 'Retry');
    return b;
  }
  const list = pagedTable(columns, (cursor) => api(`/inbox${qs({ status, limit: 50, cursor })}`), 'read the inbox');
  void list.first();
  const filter = select('status', STATUSES.map((s) => [s, s]), status);
  filter.addEventListener('change', () => {
    location.hash = `#/inbox${qs({ status: filter.value })}`;
  });
  return section('Inbox', h('div', { class: 'inline' }, field('Status', filter)), msg.el, list.el);
}
