// @ts-check
import { api, qs } from './api.js';
import { h, json, replace, when } from './dom.js';
import { can } from './session.js';
import { field, messageBox, pagedTable, section, select } from './ui.js';

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
    { label: '', cell: (r) => (r.status === 'dead' && can('operator') ? retryButton(r) : null) },
  ];
  /** @param {any} r */
  function retryButton(r) {
    const b = h('button', { type: 'button', onclick: async () => {
      b.disabled = true;
      try {
        const fresh = await api(`/outbox/${encodeURIComponent(r.id)}/retry`, { method: 'POST' });
        replace(b.parentElement ?? b, `queued (${fresh.status})`);
        msg.ok(`Outbox row ${r.id} queued again.`);
      } catch (e) {
        b.disabled = false;
        msg.error(e, 'retry outbox rows');
      }
    } }, 'Retry');
    return b;
  }
  const list = pagedTable(columns, (cursor) => api(`/outbox${qs({ status, limit: 50, cursor })}`), 'read the outbox');
  void list.first();
  const filter = select('status', [['', 'any status'], ['pending', 'pending'], ['in_flight', 'in flight'], ['done', 'done'], ['dead', 'dead']], status);
  filter.addEventListener('change', () => {
    location.hash = `#/outbox${qs({ status: filter.value })}`;
  });
  return section('Outbox', h('div', { class: 'inline' }, field('Status', filter)), msg.el, list.el);
}
