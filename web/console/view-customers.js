// @ts-check
import { api, qs } from './api.js';
import { h, link, when } from './dom.js';
import { CHANNEL_OPTIONS, IDENTITY_LABELS, IDENTITY_OPTIONS } from './labels.js';
import { field, formValues, messageBox, pagedTable, section, select } from './ui.js';
import { tagOptions } from './tag-options.js';

/** @typedef {import('./app.js').RouteParams} RouteParams */

/** @type {import('./ui.js').Column[]} */
const COLUMNS = [
  { label: 'Customer', cell: (c) => link(`/customers/${encodeURIComponent(c.id)}`, c.displayName || c.id) },
  { label: 'Phone', cell: (c) => c.phone ?? '—' },
  { label: 'Channels', cell: (c) => [...new Set(c.identities.map((/** @type {any} */ i) => IDENTITY_LABELS[i.type] ?? i.type))].join(', ') || '—' },
  { label: 'Tags', cell: (c) => c.tags.map((/** @type {any} */ t) => t.name).join(', ') || '—' },
  { label: 'Created', cell: (c) => when(c.createdAt) },
];

/**
 * `#/customers?q=&tag=&channel=`: search (the form writes the hash, so back/forward and reload keep the search),
 * results paged with "More", and a lookup by one identity.
 * @param {RouteParams} p
 */
export function renderCustomers(p) {
  const q = p.query.get('q') ?? '';
  const tag = p.query.get('tag') ?? '';
  const channel = p.query.get('channel') ?? '';
  const tagSelect = select('tag', [['', 'any tag']], tag);
  tagOptions()
    .then((opts) => tagSelect.append(...opts.map(([v, t]) => h('option', { value: v, selected: v === tag }, t))))
    .catch(() => {
      /* the search still works without the tag list */
    });

  const search = h(
    'form',
    { class: 'inline', role: 'search', onsubmit: (/** @type {SubmitEvent} */ ev) => {
      ev.preventDefault();
      const v = formValues(/** @type {HTMLFormElement} */ (ev.currentTarget));
      location.hash = `#/customers${qs({ q: v.q, tag: v.tag, channel: v.channel })}`;
    } },
    field('Search', h('input', { name: 'q', type: 'search', value: q, placeholder: 'name, remark, openid, phone…', maxlength: 128 })),
    field('Tag', tagSelect),
    field('Channel', select('channel', CHANNEL_OPTIONS, channel)),
    h('button', { type: 'submit' }, 'Search'),
  );

  const results = pagedTable(COLUMNS, (cursor) => api(`/customers${qs({ q, tag, channel, limit: 50, cursor })}`), 'search customers');
  void results.first();

  return h('div', null, section('Customers', search, results.el), lookupPanel());
}

function lookupPanel() {
  const msg = messageBox();
  const form = h(
    'form',
    { class: 'inline', onsubmit: async (/** @type {SubmitEvent} */ ev) => {
      ev.preventDefault();
      const v = formValues(/** @type {HTMLFormElement} */ (ev.currentTarget));
      msg.clear();
      try {
        const c = await api(`/customers/lookup${qs({ type: v.type, scope: v.scope, value: v.value })}`);
        location.hash = `#/customers/${encodeURIComponent(c.id)}`;
      } catch (e) {
        msg.error(e, 'look up this identity');
      }
    } },
    field('Identity type', select('type', IDENTITY_OPTIONS, 'oa_openid')),
    field('Scope', h('input', { name: 'scope', placeholder: 'appid / corpid / open platform id', title: 'The appid or corpid of an openid or external_userid; for a unionid its open platform id (empty = default); none for a phone' })),
    field('Value', h('input', { name: 'value', required: true })),
    h('button', { type: 'submit' }, 'Look up'),
  );
  return section('Look up by identity', form, msg.el);
}
