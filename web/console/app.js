// @ts-check
import { ApiError, api, whenUnauthorized } from './api.js';
import { byId, h, replace } from './dom.js';
import { apiKey, can, currentPrincipal, isRole, setPrincipal, signOut, storeKey } from './session.js';
import { renderSignIn } from './view-signin.js';
import { renderCustomers } from './view-customers.js';
import { renderCustomer } from './view-customer.js';
import { renderTags } from './view-tags.js';
import { renderTag } from './view-tag.js';
import { renderSegments } from './view-segments.js';
import { renderSegment } from './view-segment.js';
import { renderSyncs } from './view-syncs.js';
import { renderInbox } from './view-inbox.js';
import { renderOutbox } from './view-outbox.js';
import { renderIdentity } from './view-identity.js';
import { renderAudit } from './view-audit.js';

/** @typedef {import('./session.js').Role} Role */
/** @typedef {{ id: string | null, query: URLSearchParams }} RouteParams */
/** @typedef {{ path: string, label: string, role: Role, what: string, list: (p: RouteParams) => HTMLElement, item?: (p: RouteParams) => HTMLElement }} Section */

/**
 * The console's sections, routed on `location.hash` (`#/customers`, `#/customers/<id>`, `#/tags?…`); `role` is
 * the least role the API lets see the section (README "Admin API"), so the nav never offers a dead end.
 * @type {Section[]}
 */
const SECTIONS = [
  { path: 'customers', label: 'Customers', role: 'viewer', what: 'view customers', list: renderCustomers, item: renderCustomer },
  { path: 'tags', label: 'Tags', role: 'viewer', what: 'view tags', list: renderTags, item: renderTag },
  { path: 'segments', label: 'Segments', role: 'viewer', what: 'view segments', list: renderSegments, item: renderSegment },
  { path: 'syncs', label: 'Syncs', role: 'viewer', what: 'view syncs', list: renderSyncs },
  { path: 'inbox', label: 'Inbox', role: 'operator', what: 'view the inbox', list: renderInbox },
  { path: 'outbox', label: 'Outbox', role: 'viewer', what: 'view the outbox', list: renderOutbox },
  { path: 'identity', label: 'Merges', role: 'viewer', what: 'view merges', list: renderIdentity },
  { path: 'audit', label: 'Audit', role: 'admin', what: 'read the audit log', list: renderAudit },
];

const main = byId('main');

/** @returns {{ section: string, id: string | null, query: URLSearchParams }} */
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = raw.split('?');
  const [section = '', id = ''] = path.split('/');
  return { section: section || 'customers', id: id ? decodeURIComponent(id) : null, query: new URLSearchParams(query) };
}

function route() {
  const p = currentPrincipal();
  if (!p) return;
  const { section, id, query } = parseHash();
  const s = SECTIONS.find((x) => x.path === section);
  renderNav(s?.path);
  if (!s) {
    replace(main, h('p', { class: 'message error' }, `No such page: ${section}`));
    return;
  }
  if (!can(s.role)) {
    replace(main, h('p', { class: 'message error' }, `Your role (${p.role}) cannot ${s.what}.`));
    return;
  }
  const render = id !== null && s.item ? s.item : s.list;
  // A fresh element per visit: a view's polling stops once its element leaves the page.
  replace(main, render({ id, query }));
  main.focus({ preventScroll: true });
}

/** @param {string | undefined} current */
function renderNav(current) {
  replace(
    byId('nav'),
    SECTIONS.filter((s) => can(s.role)).map((s) => h('a', { href: `#/${s.path}`, 'aria-current': s.path === current ? 'page' : undefined }, s.label)),
  );
}

/** @param {import('./dom.js').Child[]} [notice] */
function showSignIn(notice) {
  byId('top').hidden = true;
  replace(main, renderSignIn({ notice, onKey: signIn }));
}

/** @param {string} key */
async function signIn(key) {
  storeKey(key);
  await loadPrincipal();
}

async function loadPrincipal() {
  const me = await api('/whoami');
  if (!me || typeof me.name !== 'string' || !isRole(me.role)) throw new Error('whoami answered an unexpected shape');
  setPrincipal({ name: me.name, role: me.role });
  byId('top').hidden = false;
  replace(byId('who'), me.name, ' · ', h('span', { class: 'role' }, me.role));
  route();
}

whenUnauthorized((err) => {
  signOut();
  showSignIn([`The API refused the key (${err.status} `, h('code', null, err.code), `: ${err.message}). Sign in again.`]);
});

byId('signout').addEventListener('click', () => {
  signOut();
  showSignIn(['Signed out.']);
});

window.addEventListener('hashchange', route);

if (apiKey()) {
  loadPrincipal().catch((e) => {
    // 401 already went back to sign-in; anything else (gateway down) keeps the key and says so.
    if (!(e instanceof ApiError && e.status === 401)) showSignIn([`Could not reach the gateway: ${e instanceof Error ? e.message : String(e)}`]);
  });
} else {
  showSignIn();
}
