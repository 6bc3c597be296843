// @ts-check
import { api, qs } from './api.js';
import { h, replace, when } from './dom.js';
import { can } from './session.js';
import { field, messageBox, progressBar, row, section, select, sleep } from './ui.js';

/** @type {import('./ui.js').Column[]} */
const COLUMNS = [
  { label: 'Run', cell: (r) => r.id },
  { label: 'Account', cell: (r) => r.accountId },
  { label: 'Resource', cell: (r) => r.resource },
  { label: 'Status', cell: (r) => h('span', { class: `status status-${r.status}` }, r.status) },
  { label: 'Progress', cell: (r) => progressCell(r) },
  { label: 'Created / updated', cell: (r) => `${r.created} / ${r.updated}` },
  { label: 'Rate', cell: (r) => `${r.rate}/s` },
  { label: 'Started', cell: (r) => [when(r.startedAt), r.triggeredBy ? h('small', null, ` ${r.triggeredBy}`) : null] },
  { label: 'Finished', cell: (r) => when(r.finishedAt) },
  { label: 'Error', cell: (r) => (r.error ? h('span', { class: 'error-text' }, r.error) : '') },
];

/** @param {any} r */
function progressCell(r) {
  const bar = progressBar();
  bar.set(r.percent, `${r.processed}${r.total === null ? '' : ` / ${r.total}`}${r.percent === null ? '' : ` (${r.percent} %)`}`);
  return bar.el;
}

/**
 * `#/syncs`: start a full sync (operators; the accounts and resources come from `GET /syncs/sources`) and the
 * recent runs, newest first; a running run's row follows `GET /syncs/:id` every second until it ends.
 */
export function renderSyncs() {
  const msg = messageBox();
  const body = h('tbody');
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'syncs' }, h('thead', null, h('tr', null, COLUMNS.map((c) => h('th', null, c.label)))), body));
  /** @type {string | null} */
  let cursor = null;
  const more = h('button', { type: 'button', class: 'more', hidden: true, onclick: () => void page() }, 'More');

  /** A row for the run; while it runs, it re-reads itself and swaps in the fresh row. @param {any} run */
  const runRow = (run) => {
    const tr = row(COLUMNS, run);
    tr.dataset.syncId = String(run.id);
    tr.dataset.status = run.status;
    if (run.status === 'running') void follow(tr, run.id);
    return tr;
  };
  /** @param {HTMLTableRowElement} tr @param {string} id */
  async function follow(tr, id) {
    await sleep(1000);
    if (!tr.isConnected) return;
    try {
      tr.replaceWith(runRow(await api(`/syncs/${encodeURIComponent(id)}`)));
    } catch (e) {
      msg.error(e, 'follow the sync');
    }
  }

  async function page() {
    more.disabled = true;
    try {
      const res = await api(`/syncs${qs({ limit: 20, cursor })}`);
      for (const r of res.items) body.append(runRow(r));
      cursor = res.nextCursor;
      more.hidden = !cursor;
    } catch (e) {
      msg.error(e, 'list syncs');
    } finally {
      more.disabled = false;
    }
  }
  void page();

  const start = can('operator') ? startForm((run) => body.prepend(runRow(run))) : null;
  return h('div', null, start, section('Recent sync runs', msg.el, table, more));
}

/** @param {(run: any) => void} started */
function startForm(started) {
  const msg = messageBox();
  const account = select('accountId', [['', 'loading…']]);
  const resource = select('resource', []);
  /** @type {any[]} */
  let sources = [];
  const fillResources = () => {
    const s = sources.find((x) => x.accountId === account.value);
    replace(resource, (s?.resources ?? []).map((/** @type {string} */ r) => h('option', { value: r }, r)));
  };
  account.addEventListener('change', fillResources);
  api('/syncs/sources')
    .then((res) => {
      sources = res.items;
      replace(account, sources.length ? sources.map((s) => h('option', { value: s.accountId }, `${s.accountId} (${s.kind})`)) : h('option', { value: '' }, 'no account to sync'));
      fillResources();
    })
    .catch((e) => msg.error(e, 'list the accounts to sync'));

  const form = h(
    'form',
    { class: 'inline', onsubmit: async (/** @type {SubmitEvent} */ ev) => {
      ev.preventDefault();
      msg.clear();
      try {
        const run = await api('/syncs', { method: 'POST', body: { accountId: account.value, resource: resource.value } });
        started(run);
        msg.ok(`Sync ${run.id} started.`);
      } catch (e) {
        msg.error(e, 'start syncs');
      }
    } },
    field('Account', account),
    field('Resource', resource),
    h('button', { type: 'submit' }, 'Start sync'),
  );
  return section('Start a full sync', form, msg.el);
}
