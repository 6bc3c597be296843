import { i18n, tKnown } from './i18n';
import { channelName, type EventNames } from './describe-event';
import type { SidebarCustomerJson } from './sidebar-api';

/** One line of the channels card: a named account and the customer's state there; raw ids only behind the toggle. */
export interface ChannelRow {
  key: string;
  name: string;
  status: string;
  active: boolean;
  detail: string | null;
  ids: string[];
}

/**
 * The customer's channels for a sales rep: each Official Account with 已关注/未关注, each WeCom relation with the
 * staff member, Mini Program and H5 presence (DESIGN §4: openid-only channels lacking a unionid are noted).
 */
export function channelRows(c: SidebarCustomerJson, names: EventNames): ChannelRow[] {
  const t = i18n.t;
  const rows: ChannelRow[] = [];
  const noUnionid = new Set(c.unionidMissing.map((m) => `${m.type}|${m.scope}`));
  const idNote = (type: string, scope: string, value: string) =>
    noUnionid.has(`${type}|${scope}`) ? `${value} · ${t('channel.noUnionid')}` : value;
  const subscribed = new Set<string>();
  for (const s of c.subscriptions) {
    subscribed.add(`${s.appId}|${s.openid}`);
    rows.push({
      key: `oa|${s.appId}|${s.openid}`,
      name: names.account('official-account', s.appId),
      status: t(s.subscribed ? 'channel.subscribed' : 'channel.unsubscribed'),
      active: s.subscribed,
      detail: s.subscribed && s.scene ? tKnown(`scene.${s.scene}`, s.scene) : null,
      ids: [idNote('oa_openid', s.appId, s.openid)],
    });
  }
  for (const i of c.identities) {
    if (i.type === 'oa_openid' && !subscribed.has(`${i.scope}|${i.value}`)) {
      rows.push({
        key: `oa|${i.scope}|${i.value}`,
        name: names.account('official-account', i.scope),
        status: t('channel.unsubscribed'),
        active: false,
        detail: null,
        ids: [idNote(i.type, i.scope, i.value)],
      });
    }
    if (i.type === 'mp_openid' || i.type === 'h5_openid') {
      const source = i.type === 'mp_openid' ? 'mini-program' : 'h5';
      rows.push({
        key: `${i.type}|${i.scope}|${i.value}`,
        name: names.account(source, i.scope),
        status: t('channel.linked'),
        active: true,
        detail: null,
        ids: [idNote(i.type, i.scope, i.value)],
      });
    }
  }
  for (const f of c.follows) {
    const staff = names.staff(f.staffUserId);
    rows.push({
      key: `wecom|${f.corpId}|${f.staffUserId}`,
      name: c.accountNames[f.corpId] ?? channelName('wecom'),
      status: t(f.deleted ? 'channel.removed' : 'channel.following', { staff }),
      active: !f.deleted,
      detail: f.addWay === null ? null : tKnown(`addWay.${f.addWay}`, String(f.addWay)),
      ids: [idNote('wecom_external_userid', f.corpId, f.externalUserId), f.staffUserId],
    });
  }
  return rows;
}
