// @ts-check
import { api } from './api.js';
import { h, link, replace } from './dom.js';
import { can } from './session.js';
import { counts, dataTable, field, followJob, formValues, messageBox, section, select } from './ui.js';
import { tagOptions } from './tag-options.js';

/** A starting rule in the README's shape ("Segment rules"). */
const EXAMPLE_RULE = { all: [{ type: 'channel', channel: 'oa' }, { type: 'orders', min: 1 }] };

/**
 * `#/segments/new` and `#/segments/<id>`: name, tag, cron schedule and the rule as JSON. The JSON is parsed here
 * (a syntax error is shown at once); the API's rule validation answers every problem with its path, listed
 * inline. Saved segments can be previewed with the draft rule (count + sample) and run now.
 * @param {import('./app.js').RouteParams} p
 */
export function renderSegment(p) {
  const isNew = p.id === 'new';
  const msg = messageBox();
  const body = h('div', null, h('p', { class: 'loading' }, 'Loading…'));
  const back = h('p', null, link('/segments', '← Segments'));
  if (isNew) {
    if (!can('operator')) msg.error(new Error('only operators create segments'), 'create segments');
    else replace(body, editor(null));
  } else {
    api(`/segments/${encodeURIComponent(p.id ?? '')}`)
      .then((s) => replace(body, editor(s)))
      .catch((e) => {
        replace(body);
        msg.error(e, 'open this segment');
      });
  }
  return h('div', null, back, msg.el, body);
}

/** @param {any} s the segment, or null for a new one */
function editor(s) {
  const msg = messageBox();
  const result = h('div', { class: 'outcome' });
  const operator = can('operator');
  const tagSelect = select('tagId', [['', 'choose the tag it produces…']]);
  tagOptions()
    .then((opts) => tagSelect.append(...opts.map(([v, t]) => h('option', { value: v, selected: v === String(s?.tagId ?? '') }, t))))
    .catch((e) => msg.error(e, 'read the tag catalog'));
  const ruleText = h('textarea', { name: 'rule', rows: 14, spellcheck: 'false', class: 'code' });
  ruleText.value = JSON.stringify(s?.rule ?? EXAMPLE_RULE, null, 2);
  const enabled = h('input', { type: 'checkbox', name: 'enabled', checked: s ? Boolean(s.enabled) : true });

  /** @returns {unknown} the rule, or undefined after showing the JSON syntax error */
  const parsedRule = () => {
    try {
      return JSON.parse(ruleText.value);
    } catch (e) {
      msg.error(new Error(`the rule is not valid JSON: ${e instanceof Error ? e.message : String(e)}`), 'read the rule');
      return undefined;
    }
  };

  const form = h(
    'form',
    { class: 'stack', onsubmit: async (/** @type {SubmitEvent} */ ev) => {
      ev.preventDefault();
      msg.clear();
      const rule = parsedRule();
      if (rule === undefined) return;
      const v = formValues(form);
      const payload = { name: v.name, tagId: v.tagId, rule, schedule: v.schedule || null, enabled: enabled.checked };
      try {
        const saved = s
          ? await api(`/segments/${encodeURIComponent(s.id)}`, { method: 'PATCH', body: payload })
          : await api('/segments', { method: 'POST', body: payload });
        if (!s) location.hash = `#/segments/${encodeURIComponent(saved.id)}`;
        else msg.ok('Saved.');
      } catch (e) {
        msg.error(e, s ? 'edit segments' : 'create segments');
      }
    } },
    field('Name', h('input', { name: 'name', value: s?.name ?? '', required: true, maxlength: 128 })),
    field('Tag', tagSelect),
    field('Schedule (cron, empty = on demand)', h('input', { name: 'schedule', value: s?.schedule ?? '', placeholder: '0 3 * * *' })),
    h('label', { class: 'check' }, enabled, ' enabled'),
    field('Rule (JSON: all / any / not of conditions)', ruleText),
    h(
      'div',
      { class: 'actions' },
      operator ? h('button', { type: 'submit' }, s ? 'Save' : 'Create') : null,
      s ? h('button', { type: 'button', onclick: () => void preview() }, 'Preview') : null,
      s && operator ? h('button', { type: 'button', onclick: () => void run() }, 'Run now') : null,
      s && operator ? h('button', { type: 'button', class: 'danger', onclick: () => void remove() }, 'Delete') : null,
    ),
  );
  if (!operator) for (const el of form.querySelectorAll('input, select, textarea')) el.setAttribute('disabled', '');
  ruleText.disabled = false;

  async function preview() {
    msg.clear();
    const rule = parsedRule();
    if (rule === undefined) return;
    try {
      const r = await api(`/segments/${encodeURIComponent(s.id)}/preview`, { method: 'POST', body: { rule } });
      const sample = dataTable([{ label: 'Sample customer', cell: (c) => link(`/customers/${encodeURIComponent(c.id)}`, c.displayName || c.id) }]);
      sample.set(r.sample);
      replace(result, h('p', { class: 'count' }, `${r.count} customers match the rule as written above.`), sample.el);
    } catch (e) {
      msg.error(e, 'preview segments');
    }
  }

  async function run() {
    msg.clear();
    replace(result);
    try {
      const r = await api(`/segments/${encodeURIComponent(s.id)}/run`, { method: 'POST' });
      if (r.jobId) {
        const job = await followJob(String(r.jobId), result);
        if (job.status === 'failed') msg.error(new Error(job.error ?? 'job failed'), 'run segments');
        else msg.ok(`Run finished: ${counts(job.result?.result ?? job.result)}`);
      } else msg.ok(`Run finished: ${counts(r.result)}`);
    } catch (e) {
      msg.error(e, 'run segments');
    }
  }

  async function remove() {
    if (!window.confirm(`Delete segment "${s.name}"? Its members lose the rule assignment.`)) return;
    try {
      await api(`/segments/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
      location.hash = '#/segments';
    } catch (e) {
      msg.error(e, 'delete segments');
    }
  }

  return section(s ? `Segment: ${s.name}` : 'New segment', form, msg.el, result);
}
