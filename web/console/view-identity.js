// @ts-check
import { api, qs } from './api.js';
import { h, link, replace, when } from './dom.js';
import { can } from './session.js';
import { counts, field, messageBox, pagedTable, section, select } from './ui.js';

/** @param {string} id */
const customer = (id) => link(`/customers/${encodeURIComponent(id)}`, id.slice(0, 8));

/**
 * `#/identity?resolved=`: merges (operators undo one; the API refuses with 409 when a later merge depends on it)
 * and the links refused as conflicts.
 * @param {import('./app.js').RouteParams} p
 */
export function renderIdentity(p) {
  return h('div', null, mergesPanel(), conflictsPanel(p.query.get('resolved') ?? 'false'));
}

function mergesPanel() {
  const msg = messageBox();
  /** @param {any} m */
  const undo = (m) => {
    const b = h('button', { type: 'button', onclick: async () => {
      if (!window.confirm(`Undo merge ${m.id}? The merged customer and what came with it go back.`)) return;
      b.disabled = true;
      try {
        const r = await api(`/merges/${encodeURIComponent(m.id)}/undo`, { method: 'POST' });
        replace(b.parentElement ?? b, `undone ${when(r.undoneAt)}`);
        msg.ok(`Merge ${m.id} undone: ${counts(r.restored)}`);
      } catch (e) {
        b.disabled = false;
        msg.error(e, 'undo merges');
      }
    } }, 'Undo');
    return b;
  };
  const list = pagedTable(
    [
      { label: 'Merge', cell: (m) => m.id },
      { label: 'Survivor', cell: (m) => customer(m.survivorId) },
      { label: 'Merged', cell: (m) => customer(m.mergedId) },
      { label: 'Reason', cell: (m) => [m.reason, m.evidence?.source ? h('small', null, ` ${m.evidence.source}`) : null] },
      { label: 'Moved', cell: (m) => counts(m.moved) },
      { label: 'When', cell: (m) => when(m.createdAt) },
      { label: '', cell: (m) => (m.undoneAt ? `undone ${when(m.undoneAt)}${m.undoneBy ? ` by ${m.undoneBy}` : ''}` : can('operator') ? undo(m) : '') },
    ],
    (cursor) => api(`/merges${qs({ limit: 50, cursor })}`),
    'list merges',
  );
  void list.first();
  return section('Merges', msg.el, list.el);
}

/** @param {string} resolved */
function conflictsPanel(resolved) {
  const list = pagedTable(
    [
      { label: 'Conflict', cell: (c) => c.id },
      { label: 'Type', cell: (c) => `${c.type} ${c.scope}` },
      { label: 'Customer', cell: (c) => (c.customerId ? customer(c.customerId) : '—') },
      { label: 'Has', cell: (c) => h('code', null, c.existingValue ?? '—') },
      { label: 'Refused', cell: (c) => h('code', null, c.refusedValue ?? '—') },
      { label: 'Other customer', cell: (c) => (c.otherCustomerId ? customer(c.otherCustomerId) : '—') },
      { label: 'Reason', cell: (c) => [c.reason ?? '', c.source ? h('small', null, ` ${c.source}`) : null] },
      { label: 'When', cell: (c) => when(c.createdAt) },
    ],
    (cursor) => api(`/conflicts${qs({ resolved, limit: 50, cursor })}`),
    'list conflicts',
  );
  void list.first();
  const filter = select('resolved', [['false', 'open'], ['true', 'resolved']], resolved);
  filter.addEventListener('change', () => {
    location.hash = `#/identity${qs({ resolved: filter.value })}`;
  });
  return section('Identity conflicts', h('div', { class: 'inline' }, field('Show', filter)), list.el);
}
