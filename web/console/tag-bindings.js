// @ts-check
import { api } from './api.js';
import { h } from './dom.js';

/**
 * The binding part of a tag form: one row per configured OA / WeCom account (from `GET /syncs/sources`), a
 * checkbox to bind, and optional remote names. Left blank, a name keeps the existing binding's (or the tag's).
 * @param {any[]} current the tag's bindings (`{ channel, account, remoteName, remoteGroupName, status }`)
 */
export function bindingsEditor(current = []) {
  /** @type {{ channel: 'oa' | 'wecom', account: string, box: HTMLInputElement, name: HTMLInputElement, group: HTMLInputElement | null }[]} */
  const rows = [];
  const list = h('div', { class: 'bindings' }, h('p', { class: 'loading' }, 'Loading accounts…'));

  /** @param {'oa' | 'wecom'} channel @param {string} account */
  const addRow = (channel, account) => {
    const b = current.find((x) => x.channel === channel && x.account === account);
    const box = h('input', { type: 'checkbox', name: `bind-${channel}-${account}`, checked: Boolean(b) });
    const name = h('input', { name: `name-${channel}-${account}`, placeholder: b?.remoteName ?? 'remote name (default: the tag name)', 'aria-label': `Remote tag name in ${account}` });
    const group = channel === 'wecom' ? h('input', { name: `group-${account}`, placeholder: b?.remoteGroupName ?? 'corp tag group', 'aria-label': `Corp tag group in ${account}` }) : null;
    rows.push({ channel, account, box, name, group });
    list.append(h('div', { class: 'binding-row' }, h('label', null, box, ` ${channel === 'oa' ? 'Official Account' : 'WeCom'} ${account}`), b ? h('small', null, b.status) : null, name, group));
  };

  let loaded = false;
  const ready = api('/syncs/sources').then((res) => {
    loaded = true;
    list.replaceChildren();
    for (const s of res.items) {
      if (s.kind === 'official-account' && s.appId) addRow('oa', s.appId);
      if (s.kind === 'wecom' && s.corpId) addRow('wecom', s.corpId);
    }
    // A binding to an account no longer configured still shows, so saving does not drop it unseen.
    for (const b of current) if (!rows.some((r) => r.channel === b.channel && r.account === b.account)) addRow(b.channel, b.account);
    if (rows.length === 0) list.append(h('p', { class: 'empty' }, 'No Official Account or WeCom account is configured.'));
  });

  return {
    el: h('fieldset', null, h('legend', null, 'Push to WeChat'), list),
    ready,
    /**
     * The `bindings` array of a tag create / update body; undefined until the accounts are known, so a save
     * then leaves the bindings as they are instead of removing them all.
     * @returns {any[] | undefined}
     */
    value() {
      if (!loaded) return undefined;
      return rows
        .filter((r) => r.box.checked)
        .map((r) => {
          const name = r.name.value.trim();
          const group = r.group?.value.trim() ?? '';
          return r.channel === 'oa'
            ? { channel: 'oa', appId: r.account, ...(name ? { name } : {}) }
            : { channel: 'wecom', corpId: r.account, ...(name ? { name } : {}), ...(group ? { groupName: group } : {}) };
        });
    },
  };
}
