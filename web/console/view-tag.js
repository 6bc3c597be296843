// @ts-check
import { api } from './api.js';
import { h, link, replace, when } from './dom.js';
import { can } from './session.js';
import { dataTable, field, formValues, messageBox, section } from './ui.js';
import { bindingsEditor } from './tag-bindings.js';
import { groupsPanel } from './view-tags.js';
import { assignPanel } from './tag-assign.js';

/**
 * `#/tags/<id>`: a tag with its customer counts by source and, per binding, how many targets WeChat carries it
 * on (pushed / pending / failed / drifted); operators edit, delete and (un)assign it.
 * @param {import('./app.js').RouteParams} p
 */
export function renderTag(p) {
  const id = p.id ?? '';
  const msg = messageBox();
  const body = h('div', null, h('p', { class: 'loading' }, 'Loading…'));
  api(`/tags/${encodeURIComponent(id)}`)
    .then((t) => replace(body, overview(t), can('operator') ? [editPanel(t), assignPanel(t.id)] : null))
    .catch((e) => {
      replace(body);
      msg.error(e, 'open this tag');
    });
  return h('div', null, h('p', null, link('/tags', '← Tags')), msg.el, body);
}

/** @param {any} t */
function overview(t) {
  const bySource = Object.entries(t.bySource ?? {}).map(([s, n]) => `${s} ${n}`).join(', ') || 'none';
  const stats = dataTable([
    { label: 'Channel', cell: (b) => (b.channel === 'oa' ? 'Official Account' : 'WeCom') },
    { label: 'Account', cell: (b) => b.account },
    { label: 'Remote tag', cell: (b) => [b.remoteGroupName ? `${b.remoteGroupName} / ` : '', b.remoteName ?? '—', b.remoteTagId ? ` (${b.remoteTagId})` : ''] },
    { label: 'Binding', cell: (b) => [b.status, b.error ? h('span', { class: 'error-text' }, ` ${b.error}`) : null] },
    { label: 'Desired', cell: (b) => String(b.stats?.desired ?? '—') },
    { label: 'Pushed', cell: (b) => String(b.stats?.pushed ?? '—') },
    { label: 'Pending', cell: (b) => String(b.stats?.pending ?? '—') },
    { label: 'Failed', cell: (b) => String(b.stats?.failed ?? '—') },
    { label: 'Drifted', cell: (b) => String(b.stats?.drifted ?? '—') },
  ]);
  stats.set(t.bindings);
  return section(
    t.name,
    h(
      'dl',
      { class: 'facts' },
      h('div', null, h('dt', null, 'Group'), h('dd', null, t.groupName ?? '—')),
      h('div', null, h('dt', null, 'Customers'), h('dd', { 'data-count': 'customers' }, String(t.customers ?? 0))),
      h('div', null, h('dt', null, 'By source'), h('dd', null, bySource)),
      h('div', null, h('dt', null, 'Created'), h('dd', null, `${when(t.createdAt)}${t.createdBy ? ` by ${t.createdBy}` : ''}`)),
    ),
    t.description ? h('p', null, t.description) : null,
    h('h3', null, 'Bindings'),
    stats.el,
  );
}

/** @param {any} t */
function editPanel(t) {
  const msg = messageBox();
  const groups = groupsPanel();
  const bindings = bindingsEditor(t.bindings);
  bindings.ready.catch((e) => msg.error(e, 'list the WeChat accounts'));
  const form = h(
    'form',
    { class: 'stack', onsubmit: async (/** @type {SubmitEvent} */ ev) => {
      ev.preventDefault();
      const v = formValues(/** @type {HTMLFormElement} */ (ev.currentTarget));
      try {
        await api(`/tags/${encodeURIComponent(t.id)}`, { method: 'PATCH', body: { name: v.name, groupId: v.groupId || null, description: v.description || null, ...(bindings.value() ? { bindings: bindings.value() } : {}) } });
        msg.ok('Saved.');
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } catch (e) {
        msg.error(e, 'edit tags');
      }
    } },
    field('Name', h('input', { name: 'name', value: t.name, required: true, maxlength: 64 })),
    field('Group', groups.select('groupId', t.groupId ?? '', 'no group')),
    field('Description', h('input', { name: 'description', value: t.description ?? '', maxlength: 255 })),
    bindings.el,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save'), h('button', { type: 'button', class: 'danger', onclick: async () => {
      if (!window.confirm(`Delete tag "${t.name}"? Its assignments go and it is removed from WeChat.`)) return;
      try {
        await api(`/tags/${encodeURIComponent(t.id)}`, { method: 'DELETE' });
        location.hash = '#/tags';
      } catch (e) {
        msg.error(e, 'delete tags');
      }
    } }, 'Delete tag')),
  );
  return section('Edit', form, msg.el);
}
