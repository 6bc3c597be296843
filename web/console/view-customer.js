// @ts-check
import { api } from './api.js';
import { h, link, replace, when } from './dom.js';
import { IDENTITY_LABELS, yuan } from './labels.js';
import { dataTable, messageBox, section } from './ui.js';
import { tagsPanel } from './customer-tags.js';
import { EVENT_COLUMNS, timelinePanel } from './customer-timeline.js';
import { erasePanel } from './customer-erase.js';
import { can } from './session.js';

/**
 * `#/customers/<id>`: one person across channels — identities by channel, tags (add/remove for operators),
 * WeCom follows, OA subscriptions, RFM, recent events, the paged timeline, and erasure for admins. A merged id
 * shows the survivor (the API resolves it).
 * @param {import('./app.js').RouteParams} p
 */
export function renderCustomer(p) {
  const id = p.id ?? '';
  const msg = messageBox();
  const body = h('div', { class: 'customer' }, h('p', { class: 'loading' }, 'Loading…'));
  api(`/customers/${encodeURIComponent(id)}`)
    .then((c) => replace(body, ...customerSections(c)))
    .catch((e) => {
      replace(body);
      msg.error(e, 'open this customer');
    });
  return h('div', null, h('p', null, link('/customers', '← Customers')), msg.el, body);
}

/** @param {any} c */
function customerSections(c) {
  const title = h('h1', null, c.displayName || 'Unnamed customer');
  const avatar = typeof c.avatarUrl === 'string' && c.avatarUrl.startsWith('https://') ? h('img', { class: 'avatar', src: c.avatarUrl, alt: '' }) : null;
  const facts = h(
    'dl',
    { class: 'facts' },
    fact('Customer id', h('code', null, c.id)),
    fact('Status', c.status),
    fact('Phone', c.phone ?? '—'),
    fact('Created', when(c.createdAt)),
    fact('Updated', when(c.updatedAt)),
  );
  return [
    h('div', { class: 'customer-head' }, avatar, h('div', null, title, facts)),
    identitiesPanel(c),
    tagsPanel(c.id, c.tags),
    rfmPanel(c.rfm),
    followsPanel(c.follows),
    subscriptionsPanel(c.subscriptions),
    recentPanel(c.recentEvents),
    timelinePanel(c.id),
    can('admin') ? erasePanel(c) : null,
  ];
}

/** @param {string} term @param {import('./dom.js').Child} value */
function fact(term, value) {
  return h('div', null, h('dt', null, term), h('dd', null, value));
}

/** Identities grouped by channel, and the channels still waiting for a unionid (DESIGN §4). @param {any} c */
function identitiesPanel(c) {
  /** @type {Map<string, any[]>} */
  const byChannel = new Map();
  for (const i of c.identities) byChannel.set(i.type, [...(byChannel.get(i.type) ?? []), i]);
  const groups = [...byChannel].map(([type, list]) =>
    h('div', { class: 'identity-group' }, h('h3', null, IDENTITY_LABELS[type] ?? type), h('ul', null, list.map((i) => h('li', null, i.scope && i.scope !== 'default' ? [h('span', { class: 'scope' }, i.scope), ' '] : null, h('code', null, i.value))))),
  );
  const missing = c.unionidMissing?.length
    ? h('p', { class: 'hint' }, 'No unionid yet for: ', c.unionidMissing.map((/** @type {any} */ m) => `${IDENTITY_LABELS[m.type] ?? m.type} ${m.scope}`).join(', '))
    : null;
  return section('Identities', groups.length ? h('div', { class: 'identity-groups' }, groups) : h('p', { class: 'empty' }, 'No identities.'), missing);
}

/** @param {any} rfm */
function rfmPanel(rfm) {
  return section(
    'Purchases (RFM)',
    h(
      'dl',
      { class: 'facts' },
      fact('Orders', String(rfm.orders)),
      fact('Total spent', yuan(rfm.totalSpent)),
      fact('Refunded', yuan(rfm.totalRefunded)),
      fact('First purchase', when(rfm.firstPurchaseAt)),
      fact('Last purchase', when(rfm.lastPurchaseAt)),
      fact('Days since last', rfm.daysSinceLastPurchase === null ? '—' : String(rfm.daysSinceLastPurchase)),
    ),
  );
}

/** @param {any[]} follows */
function followsPanel(follows) {
  const t = dataTable([
    { label: 'Corp', cell: (f) => f.corpId },
    { label: 'Staff', cell: (f) => f.staffUserId },
    { label: 'External userid', cell: (f) => h('code', null, f.externalUserId) },
    { label: 'Remark', cell: (f) => f.remark ?? '—' },
    { label: 'Added', cell: (f) => when(f.createdTime) },
    { label: 'State', cell: (f) => (f.deleted ? `deleted ${when(f.deletedAt)}` : f.state ?? 'active') },
  ]);
  t.set(follows);
  return section('WeCom follows', t.el);
}

/** @param {any[]} subs */
function subscriptionsPanel(subs) {
  const t = dataTable([
    { label: 'Official Account', cell: (s) => s.appId },
    { label: 'Openid', cell: (s) => h('code', null, s.openid) },
    { label: 'Subscribed', cell: (s) => (s.subscribed ? `yes, ${when(s.subscribeTime)}` : `no${s.unsubscribeTime ? `, left ${when(s.unsubscribeTime)}` : ''}`) },
    { label: 'Scene', cell: (s) => [s.scene, s.qrScene].filter(Boolean).join(' / ') || '—' },
    { label: 'Remark', cell: (s) => s.remark ?? '—' },
  ]);
  t.set(subs);
  return section('Official Account subscriptions', t.el);
}

/** @param {any[]} events */
function recentPanel(events) {
  const t = dataTable(EVENT_COLUMNS);
  t.set(events);
  return section('Recent events', t.el);
}
