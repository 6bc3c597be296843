// @ts-check
import { api } from './api.js';
import { h, replace } from './dom.js';
import { CHANNEL_OPTIONS } from './labels.js';
import { counts, field, followJob, formValues, messageBox, section, select } from './ui.js';

/**
 * Bulk (un)assignment of one tag: by customer ids (pasted, one per line or comma-separated) or by the customers
 * filter; small sets answer counts at once, large ones a job whose progress is followed here.
 * @param {string} tagId
 */
export function assignPanel(tagId) {
  const msg = messageBox();
  const outcome = h('div', { class: 'outcome' });
  const ids = field('Customer ids', h('textarea', { name: 'customerIds', rows: 3, placeholder: 'customer ids, one per line' }));
  const mode = select('mode', [['ids', 'these customer ids'], ['filter', 'every customer matching the filter']], 'ids');
  const filterSet = h(
    'fieldset',
    { hidden: true },
    h('legend', null, 'Filter'),
    field('Search', h('input', { name: 'q' })),
    field('Has tag id', h('input', { name: 'tag', inputmode: 'numeric' })),
    field('Channel', select('channel', CHANNEL_OPTIONS, '')),
  );
  mode.addEventListener('change', () => {
    ids.hidden = mode.value !== 'ids';
    filterSet.hidden = mode.value !== 'filter';
  });
  const form = h(
    'form',
    { class: 'stack' },
    field('Mode', mode),
    ids,
    filterSet,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => void send('assign') }, 'Assign'), h('button', { type: 'button', onclick: () => void send('unassign') }, 'Unassign')),
  );

  /** @param {'assign' | 'unassign'} op */
  async function send(op) {
    const v = formValues(form);
    msg.clear();
    replace(outcome);
    /** @type {Record<string, unknown>} */
    let body;
    if (v.mode === 'filter') {
      /** @type {Record<string, string>} */
      const filter = {};
      for (const k of ['q', 'tag', 'channel']) if (v[k]) filter[k] = /** @type {string} */ (v[k]);
      body = { filter };
    } else {
      body = { customerIds: (v.customerIds ?? '').split(/[\s,]+/).filter(Boolean) };
    }
    try {
      const res = await api(`/tags/${encodeURIComponent(tagId)}/${op}`, { method: 'POST', body });
      if (res && res.jobId) {
        const job = await followJob(String(res.jobId), outcome);
        if (job.status === 'failed') msg.error(new Error(job.error ?? 'job failed'), `${op} the tag`);
        else msg.ok(`${op === 'assign' ? 'Assigned' : 'Unassigned'}: ${counts(job.result)}`);
      } else {
        msg.ok(`${op === 'assign' ? 'Assigned' : 'Unassigned'}: ${counts(res)}`);
      }
    } catch (e) {
      msg.error(e, `${op} tags`);
    }
  }
  return section('Assign to customers', form, outcome, msg.el);
}
