// @ts-check
import { ApiError, api } from './api.js';
import { h, replace } from './dom.js';
import { currentPrincipal } from './session.js';

/** @typedef {import('./dom.js').Child} Child */
/** @typedef {{ label: string, cell: (row: any) => Child | Child[] }} Column */

/** A titled block of a view. @param {string} title @param {...(Child | Child[])} children */
export function section(title, ...children) {
  return h('section', { class: 'panel' }, h('h2', null, title), ...children);
}

/** An inline message area that shows API errors as `CODE: message` (403s name the role). */
export function messageBox() {
  const el = h('div', { class: 'message', role: 'status', 'aria-live': 'polite' });
  return {
    el,
    clear: () => replace(el),
    /** @param {string} text */
    ok(text) {
      el.className = 'message ok';
      replace(el, text);
    },
    /** @param {unknown} err @param {string} doing what the operator tried, e.g. "erase customers" */
    error(err, doing) {
      el.className = 'message error';
      replace(el, ...describeError(err, doing));
    },
  };
}

/**
 * @param {unknown} err @param {string} doing
 * @returns {Child[]}
 */
export function describeError(err, doing) {
  if (!(err instanceof ApiError)) return [`Could not ${doing}: ${err instanceof Error ? err.message : String(err)}`];
  const code = h('code', null, err.code);
  if (err.status === 403) return [`Your role (${currentPrincipal()?.role ?? 'unknown'}) cannot ${doing}. `, code, `: ${err.message}`];
  // Validation answers list their problems joined by "; " (tag and segment inputs): one line each.
  const parts = err.message.split('; ');
  if (err.status === 422 && parts.length > 1) return [`Could not ${doing} (${err.status}) `, code, h('ul', null, parts.map((p) => h('li', null, p)))];
  return [`Could not ${doing} (${err.status || 'network'}) `, code, `: ${err.message}`];
}

/**
 * A table whose rows can be appended (paging); wide tables scroll inside their own box at 800 px.
 * @param {Column[]} columns
 */
export function dataTable(columns) {
  const body = h('tbody');
  const empty = h('p', { class: 'empty' }, 'Nothing here.');
  const table = h('table', null, h('thead', null, h('tr', null, columns.map((c) => h('th', null, c.label)))), body);
  const el = h('div', { class: 'table-wrap' }, table, empty);
  return {
    el,
    /** @param {any[]} rows */
    append(rows) {
      for (const r of rows) body.append(row(columns, r));
      empty.hidden = body.childElementCount > 0;
    },
    /** @param {any[]} rows */
    set(rows) {
      body.replaceChildren();
      this.append(rows);
    },
  };
}

/** @param {Column[]} columns @param {any} r */
export function row(columns, r) {
  return h('tr', null, columns.map((c) => h('td', { 'data-label': c.label }, c.cell(r))));
}

/**
 * A list paged with `{ items, nextCursor }` and a "More" button.
 * @param {Column[]} columns
 * @param {(cursor: string | null) => Promise<{ items: any[], nextCursor: string | null }>} load
 * @param {string} doing for error messages
 */
export function pagedTable(columns, load, doing) {
  const table = dataTable(columns);
  const msg = messageBox();
  /** @type {string | null} */
  let cursor = null;
  const more = h('button', { type: 'button', class: 'more', hidden: true, onclick: () => void page() }, 'More');
  async function page() {
    more.disabled = true;
    try {
      const res = await load(cursor);
      table.append(res.items);
      cursor = res.nextCursor;
      more.hidden = !cursor;
      msg.clear();
    } catch (e) {
      msg.error(e, doing);
    } finally {
      more.disabled = false;
    }
  }
  const el = h('div', null, msg.el, table.el, more);
  return { el, first: page, table };
}

/** A labelled form control. @param {string} label @param {HTMLElement} control */
export function field(label, control) {
  return h('label', { class: 'field' }, h('span', null, label), control);
}

/**
 * A `<select>` of values, each `[value, text]`.
 * @param {string} name @param {[string, string][]} options @param {string} [selected]
 */
export function select(name, options, selected = '') {
  return h('select', { name }, options.map(([v, t]) => h('option', { value: v, selected: v === selected }, t)));
}

/** A progress bar with its text (`42 %` or the count when the total is unknown). */
export function progressBar() {
  const bar = h('progress', { max: 100 });
  const text = h('span', { class: 'progress-text' });
  return {
    el: h('span', { class: 'progress' }, bar, text),
    /** @param {number | null} percent @param {string} label */
    set(percent, label) {
      if (percent === null) bar.removeAttribute('value');
      else bar.value = percent;
      replace(text, label);
    },
  };
}

/**
 * Follows a bulk job (`GET /bulk-jobs/:id`) to its end, showing its progress; resolves with the final job.
 * @param {string} jobId @param {HTMLElement} into
 * @returns {Promise<any>}
 */
export async function followJob(jobId, into) {
  const bar = progressBar();
  const status = h('span', { class: 'status' });
  replace(into, `Job ${jobId}: `, status, ' ', bar.el);
  for (;;) {
    const job = await api(`/bulk-jobs/${encodeURIComponent(jobId)}`);
    replace(status, job.status);
    bar.set(job.percent ?? null, `${job.processed ?? 0}${job.total ? ` / ${job.total}` : ''}`);
    if (job.status !== 'queued' && job.status !== 'running') return job;
    if (!into.isConnected) return job;
    await sleep(1000);
  }
}

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Values of a form's named controls, trimmed. @param {HTMLFormElement} form @returns {Record<string, string>} */
export function formValues(form) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [k, v] of new FormData(form)) if (typeof v === 'string') out[k] = v.trim();
  return out;
}

/** `{ matched: 3, changed: 2 }` → `matched 3, changed 2` (numbers only). @param {unknown} obj */
export function counts(obj) {
  if (!obj || typeof obj !== 'object') return '';
  return Object.entries(obj)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/**
 * A Retry button for one inbox or outbox row: POSTs `/<queue>/<id>/retry`, then stands in for itself with the
 * row's new status; a refusal is shown in `msg` and the button comes back.
 * @param {'inbox' | 'outbox'} queue @param {string} id @param {ReturnType<typeof messageBox>} msg
 */
export function retryButton(queue, id, msg) {
  const label = queue === 'inbox' ? 'Inbox' : 'Outbox';
  const b = h('button', { type: 'button', onclick: async () => {
    b.disabled = true;
    try {
      const fresh = await api(`/${queue}/${encodeURIComponent(id)}/retry`, { method: 'POST' });
      replace(b.parentElement ?? b, `queued (${fresh.status})`);
      msg.ok(`${label} row ${id} queued again.`);
    } catch (e) {
      b.disabled = false;
      msg.error(e, `retry ${queue} rows`);
    }
  } }, 'Retry');
  return b;
}
