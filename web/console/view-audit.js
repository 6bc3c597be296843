// @ts-check
import { api, qs } from './api.js';
import { h, json, when } from './dom.js';
import { field, formValues, pagedTable, section } from './ui.js';

const FILTERS = /** @type {const} */ (['actor', 'action', 'targetType', 'targetId']);
/** @type {Record<string, string>} */
const LABELS = { actor: 'Actor', action: 'Action', targetType: 'Target type', targetId: 'Target id' };

/**
 * `#/audit?actor=&action=&targetType=&targetId=` (admins): who did what, newest first.
 * @param {import('./app.js').RouteParams} p
 */
export function renderAudit(p) {
  /** @type {Record<string, string>} */
  const f = {};
  for (const k of FILTERS) f[k] = p.query.get(k) ?? '';
  const form = h(
    'form',
    { class: 'inline', role: 'search', onsubmit: (/** @type {SubmitEvent} */ ev) => {
      ev.preventDefault();
      const v = formValues(/** @type {HTMLFormElement} */ (ev.currentTarget));
      location.hash = `#/audit${qs(Object.fromEntries(FILTERS.map((k) => [k, v[k]])))}`;
    } },
    FILTERS.map((k) => field(LABELS[k] ?? k, h('input', { name: k, value: f[k] ?? '' }))),
    h('button', { type: 'submit' }, 'Filter'),
  );
  const list = pagedTable(
    [
      { label: 'When', cell: (r) => when(r.createdAt) },
      { label: 'Actor', cell: (r) => `${r.actor}${r.role ? ` (${r.role})` : ''}` },
      { label: 'Action', cell: (r) => r.action },
      { label: 'Target', cell: (r) => `${r.targetType ?? ''} ${r.targetId ?? ''}`.trim() },
      { label: 'Details', cell: (r) => h('code', { class: 'payload' }, json(r.details, 300)) },
    ],
    (cursor) => api(`/audit${qs({ ...f, limit: 50, cursor })}`),
    'read the audit log',
  );
  void list.first();
  return section('Audit log', form, list.el);
}
