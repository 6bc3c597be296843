// @ts-check
import { api } from './api.js';
import { h, replace } from './dom.js';
import { can } from './session.js';
import { messageBox, section, select } from './ui.js';
import { tagOptions } from './tag-options.js';

/**
 * A customer's tags with their source; operators add catalog tags and remove manual ones (rule, staff and
 * WeChat assignments belong to their segment / WeCom and are not removed here).
 * @param {string} customerId @param {{ id: string, name: string, source: string }[]} initial
 */
export function tagsPanel(customerId, initial) {
  const msg = messageBox();
  const list = h('ul', { class: 'chips', 'aria-label': 'Tags' });
  const path = `/customers/${encodeURIComponent(customerId)}/tags`;

  /** @param {{ id: string, name: string, source: string }[]} tags */
  const show = (tags) =>
    replace(
      list,
      tags.length ? null : h('li', { class: 'empty' }, 'No tags.'),
      tags.map((t) =>
        h(
          'li',
          { class: 'chip', 'data-tag-id': t.id },
          h('span', null, t.name),
          h('small', null, t.source),
          can('operator') && t.source === 'manual'
            ? h('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove ${t.name}`, onclick: async () => {
                try {
                  show((await api(`${path}/${encodeURIComponent(t.id)}`, { method: 'DELETE' })).tags);
                  msg.ok(`Removed ${t.name}.`);
                } catch (e) {
                  msg.error(e, 'remove tags');
                }
              } }, '×')
            : null,
        ),
      ),
    );
  show(initial);

  let adder = null;
  if (can('operator')) {
    const choose = select('tagId', [['', 'choose a tag…']]);
    tagOptions()
      .then((opts) => choose.append(...opts.map(([v, t]) => h('option', { value: v }, t))))
      .catch((e) => msg.error(e, 'read the tag catalog'));
    adder = h(
      'form',
      { class: 'inline', onsubmit: async (/** @type {SubmitEvent} */ ev) => {
        ev.preventDefault();
        if (!choose.value) return;
        try {
          const res = await api(path, { method: 'POST', body: { tagIds: [choose.value] } });
          show(res.tags);
          msg.ok('Tag added.');
        } catch (e) {
          msg.error(e, 'add tags');
        }
      } },
      choose,
      h('button', { type: 'submit' }, 'Add tag'),
    );
  }
  return section('Tags', list, adder, msg.el);
}
