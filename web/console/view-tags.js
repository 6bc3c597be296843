// @ts-check
import { api, qs } from './api.js';
import { h, link, replace } from './dom.js';
import { can } from './session.js';
import { dataTable, field, formValues, messageBox, pagedTable, section, select } from './ui.js';
import { bindingsEditor } from './tag-bindings.js';

/** @type {import('./ui.js').Column[]} */
const COLUMNS = [
  { label: 'Tag', cell: (t) => link(`/tags/${encodeURIComponent(t.id)}`, t.name) },
  { label: 'Group', cell: (t) => t.groupName ?? '—' },
  { label: 'Bindings', cell: (t) => t.bindings.map((/** @type {any} */ b) => `${b.channel} ${b.account} (${b.status})`).join(', ') || '—' },
  { label: 'Description', cell: (t) => t.description ?? '' },
];

/**
 * `#/tags?q=&groupId=`: the catalog paged, tag groups (create, rename, delete), and a new-tag form with its
 * bindings to OA appids / WeCom corps.
 * @param {import('./app.js').RouteParams} p
 */
export function renderTags(p) {
  const q = p.query.get('q') ?? '';
  const groupId = p.query.get('groupId') ?? '';
  const groups = groupsPanel();
  const filter = h(
    'form',
    { class: 'inline', role: 'search', onsubmit: (/** @type {SubmitEvent} */ ev) => {
      ev.preventDefault();
      const v = formValues(/** @type {HTMLFormElement} */ (ev.currentTarget));
      location.hash = `#/tags${qs({ q: v.q, groupId: v.groupId })}`;
    } },
    field('Name', h('input', { name: 'q', type: 'search', value: q })),
    field('Group', groups.select('groupId', groupId, 'any group')),
    h('button', { type: 'submit' }, 'Filter'),
  );
  const catalog = pagedTable(COLUMNS, (cursor) => api(`/tags${qs({ q, groupId, limit: 100, cursor })}`), 'read the tag catalog');
  void catalog.first();
  return h('div', null, section('Tags', filter, catalog.el), can('operator') ? createPanel(groups) : null, groups.el);
}

/** @param {ReturnType<typeof groupsPanel>} groups */
function createPanel(groups) {
  const msg = messageBox();
  const bindings = bindingsEditor();
  bindings.ready.catch((e) => msg.error(e, 'list the WeChat accounts'));
  const form = h(
    'form',
    { class: 'stack', onsubmit: async (/** @type {SubmitEvent} */ ev) => {
      ev.preventDefault();
      const v = formValues(/** @type {HTMLFormElement} */ (ev.currentTarget));
      try {
        const t = await api('/tags', { method: 'POST', body: { name: v.name, groupId: v.newTagGroup || null, description: v.description || null, ...(bindings.value() ? { bindings: bindings.value() } : {}) } });
        location.hash = `#/tags/${encodeURIComponent(t.id)}`;
      } catch (e) {
        msg.error(e, 'create tags');
      }
    } },
    field('Name', h('input', { name: 'name', required: true, maxlength: 64 })),
    field('Group', groups.select('newTagGroup', '', 'no group')),
    field('Description', h('input', { name: 'description', maxlength: 255 })),
    bindings.el,
    h('button', { type: 'submit' }, 'Create tag'),
  );
  return section('New tag', form, msg.el);
}

/** Tag groups: listed with rename/delete for operators; `select()` gives `<select>`s that fill in once loaded. */
export function groupsPanel() {
  const msg = messageBox();
  /** @type {HTMLSelectElement[]} */
  const selects = [];
  /** @type {{ id: string, name: string }[]} */
  let items = [];
  const table = dataTable([
    { label: 'Group', cell: (g) => link(`/tags${qs({ groupId: g.id })}`, g.name) },
    { label: '', cell: (g) => (can('operator') ? groupActions(g) : null) },
  ]);

  const fill = () => {
    table.set(items);
    for (const s of selects) {
      const keep = s.value || s.dataset.selected || '';
      replace(s, s.options[0] ?? null, items.map((g) => h('option', { value: g.id, selected: g.id === keep }, g.name)));
    }
  };
  const load = () =>
    api('/tag-groups')
      .then((res) => {
        items = res.items;
        fill();
      })
      .catch((e) => msg.error(e, 'list tag groups'));

  /** @param {{ id: string, name: string }} g */
  function groupActions(g) {
    const name = h('input', { name: 'groupName', value: g.name, 'aria-label': `New name for ${g.name}`, maxlength: 64 });
    return h(
      'form',
      { class: 'inline', onsubmit: async (/** @type {SubmitEvent} */ ev) => {
        ev.preventDefault();
        try {
          await api(`/tag-groups/${encodeURIComponent(g.id)}`, { method: 'PATCH', body: { name: name.value.trim() } });
          msg.ok('Group renamed.');
          await load();
        } catch (e) {
          msg.error(e, 'rename tag groups');
        }
      } },
      name,
      h('button', { type: 'submit' }, 'Rename'),
      h('button', { type: 'button', class: 'danger', onclick: async () => {
        try {
          await api(`/tag-groups/${encodeURIComponent(g.id)}`, { method: 'DELETE' });
          msg.ok(`Group ${g.name} deleted.`);
          await load();
        } catch (e) {
          msg.error(e, 'delete tag groups');
        }
      } }, 'Delete'),
    );
  }

  const create = can('operator')
    ? h(
        'form',
        { class: 'inline', onsubmit: async (/** @type {SubmitEvent} */ ev) => {
          ev.preventDefault();
          const form = /** @type {HTMLFormElement} */ (ev.currentTarget);
          try {
            await api('/tag-groups', { method: 'POST', body: { name: formValues(form).name } });
            form.reset();
            msg.ok('Group created.');
            await load();
          } catch (e) {
            msg.error(e, 'create tag groups');
          }
        } },
        field('New group', h('input', { name: 'name', required: true, maxlength: 64 })),
        h('button', { type: 'submit' }, 'Create group'),
      )
    : null;

  void load();
  return {
    el: section('Tag groups', table.el, create, msg.el),
    /** @param {string} name @param {string} value @param {string} none */
    select(name, value, none) {
      const s = select(name, [['', none]], '');
      s.dataset.selected = value;
      selects.push(s);
      if (items.length) fill();
      return s;
    },
  };
}
