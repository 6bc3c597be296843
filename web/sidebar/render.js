// @ts-check
import { byId, el, fillList, when } from './dom.js';

/**
 * @typedef {{ id: string, name: string, source: string }} CustomerTag
 * @typedef {{ id: string, name: string, groupName: string | null, boundToCorp: boolean }} PickerTag
 * @typedef {{
 *   id: string, displayName: string | null, avatarUrl: string | null, phone: string | null,
 *   identities: { type: string, scope: string, value: string }[],
 *   unionidMissing: { type: string, scope: string }[],
 *   tags: CustomerTag[],
 *   follows: { corpId: string, staffUserId: string, remark: string | null, description: string | null, createdTime: string | null, deleted: boolean }[],
 *   subscriptions: { appId: string, subscribed: boolean, subscribeTime: string | null, unsubscribeTime: string | null, remark: string | null }[],
 *   rfm: { orders: number, totalSpent: number, totalRefunded: number, lastPurchaseAt: string | null, daysSinceLastPurchase: number | null },
 *   recentEvents: { id: string, source: string, type: string, occurredAt: string }[],
 * }} Profile
 */

/** @type {Record<string, string>} */
const CHANNELS = {
  unionid: '开放平台 UnionID',
  oa_openid: '公众号',
  mp_openid: '小程序',
  h5_openid: 'H5 网页',
  wecom_external_userid: '企业微信',
  phone: '手机号',
};

/** @type {Record<string, string>} */
const SOURCES = { manual: '手动', staff: '员工', wechat: '企微', rule: '规则' };
/** The sources a staff member's remove takes away; a segment's `rule` assignment stays. */
const REMOVABLE = ['manual', 'staff', 'wechat'];

/** @param {number} fen */
const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`;

/** @param {Profile} p */
export function renderProfile(p) {
  const avatar = /** @type {HTMLImageElement} */ (byId('avatar'));
  if (p.avatarUrl) {
    // WeChat avatar hosts (qlogo.cn) serve HTTPS too; the page's CSP loads images over HTTPS only.
    avatar.src = p.avatarUrl.replace(/^http:\/\//, 'https://');
    avatar.hidden = false;
    avatar.onerror = () => {
      avatar.hidden = true;
    };
  } else avatar.hidden = true;
  byId('name').textContent = p.displayName || '（未命名客户）';
  byId('phone').textContent = p.phone ? `手机 ${p.phone}` : '未绑定手机号';

  const missing = new Set(p.unionidMissing.map((m) => `${m.type}|${m.scope}`));
  fillList(
    byId('identities'),
    p.identities.map((i) =>
      el('li', {}, [
        el('strong', { text: CHANNELS[i.type] ?? i.type }),
        ` ${i.value}`,
        el('small', { className: 'muted', text: ` ${i.scope}${missing.has(`${i.type}|${i.scope}`) ? ' · 尚无 UnionID' : ''}` }),
      ]),
    ),
    '暂无身份',
  );

  const r = p.rfm;
  byId('rfm').replaceChildren(
    ...[
      ['订单数', String(r.orders)],
      ['累计消费', yuan(r.totalSpent)],
      ['退款', yuan(r.totalRefunded)],
      ['最近购买', r.lastPurchaseAt ? `${when(r.lastPurchaseAt)}（${r.daysSinceLastPurchase} 天前）` : '从未购买'],
    ].flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]),
  );

  fillList(
    byId('follows'),
    p.follows.map((f) =>
      el('li', {}, [
        el('strong', { text: f.staffUserId }),
        f.remark ? ` 备注：${f.remark}` : '',
        el('small', { className: 'muted', text: ` ${f.deleted ? '已删除' : `添加于 ${when(f.createdTime)}`}` }),
      ]),
    ),
    '暂无跟进员工',
  );

  fillList(
    byId('subscriptions'),
    p.subscriptions.map((s) =>
      el('li', {}, [
        el('strong', { text: s.appId }),
        s.subscribed ? ` 已关注 ${when(s.subscribeTime)}` : ` 已取消关注 ${when(s.unsubscribeTime)}`,
        s.remark ? el('small', { className: 'muted', text: ` 备注：${s.remark}` }) : '',
      ]),
    ),
    '未关注公众号',
  );

  fillList(
    byId('timeline'),
    p.recentEvents.map((e) => el('li', {}, [el('small', { className: 'muted', text: `${when(e.occurredAt)} · ${e.source} ` }), e.type])),
    '暂无动态',
  );
}

/**
 * The customer's tags, one chip per tag with its sources; the × removes what a person assigned.
 * @param {CustomerTag[]} tags
 * @param {(tagId: string) => void} onRemove
 */
export function renderTags(tags, onRemove) {
  /** @type {Map<string, { name: string, sources: string[] }>} */
  const byTag = new Map();
  for (const t of tags) {
    const entry = byTag.get(t.id) ?? { name: t.name, sources: [] };
    entry.sources.push(t.source);
    byTag.set(t.id, entry);
  }
  const chips = [...byTag].map(([id, t]) => {
    const remove = el('button', { text: '×' });
    remove.type = 'button';
    remove.title = `移除标签 ${t.name}`;
    remove.setAttribute('aria-label', `移除标签 ${t.name}`);
    remove.disabled = !t.sources.some((s) => REMOVABLE.includes(s));
    remove.addEventListener('click', () => onRemove(id));
    const chip = el('li', { className: 'chip' }, [el('span', { text: t.name }), el('small', { text: t.sources.map((s) => SOURCES[s] ?? s).join('/') }), remove]);
    chip.dataset.tagId = id;
    return chip;
  });
  fillList(byId('tags'), chips, '暂无标签');
}

/**
 * The picker lists catalog tags the customer does not carry yet, grouped by tag group.
 * @param {PickerTag[]} catalog
 * @param {CustomerTag[]} tags
 */
export function renderPicker(catalog, tags) {
  const have = new Set(tags.map((t) => t.id));
  const picker = /** @type {HTMLSelectElement} */ (byId('tag-picker'));
  /** @type {Map<string, HTMLOptionElement[]>} */
  const groups = new Map();
  for (const t of catalog) {
    if (have.has(t.id)) continue;
    const option = el('option', { text: t.boundToCorp ? t.name : `${t.name}（仅 Siyu）` });
    option.value = t.id;
    const g = t.groupName ?? '未分组';
    groups.set(g, [...(groups.get(g) ?? []), option]);
  }
  const placeholder = el('option', { text: groups.size ? '选择要添加的标签…' : '没有可添加的标签' });
  placeholder.value = '';
  picker.replaceChildren(placeholder, ...[...groups].map(([label, options]) => {
    const og = el('optgroup', {}, options);
    og.label = label;
    return og;
  }));
  /** @type {HTMLButtonElement} */ (byId('tag-add')).disabled = groups.size === 0;
}
