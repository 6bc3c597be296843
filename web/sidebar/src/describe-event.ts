import type { Locale } from '@shared/i18n';
import { formatFen } from '@shared/format';
import { i18n, tKnown } from './i18n';
import type { SidebarCustomerJson, SidebarEventJson } from './sidebar-api';

/** What a timeline line needs from the rest of the profile: names for staff and accounts. */
export interface EventNames {
  staff(userid: string): string;
  account(source: string, scope: string): string;
  addWay(staffUserId: string): number | null;
}

const CHANNEL_KEYS = ['official-account', 'mini-program', 'h5', 'wecom', 'wechat-pay'] as const;

/** Names from the profile itself: follows' staff names (else the signed-in rep's name, else the userid), account names. */
export function namesOf(c: SidebarCustomerJson, me: { userid: string; name: string }): EventNames {
  return {
    staff: (userid) =>
      c.follows.find((f) => f.staffUserId === userid && f.staffName)?.staffName ??
      (userid === me.userid ? me.name : userid),
    account: (source, scope) => c.accountNames[scope] ?? channelName(source),
    addWay: (userid) => c.follows.find((f) => f.staffUserId === userid)?.addWay ?? null,
  };
}

export function channelName(source: string): string {
  const key = CHANNEL_KEYS.find((k) => k === source);
  return key ? i18n.t(`channel.${key}`) : source;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const num = (v: unknown): number | null =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null;

/**
 * One timeline entry as a sentence for a sales rep: the message text, the amount and order number, the staff
 * member, the scene — the raw payload stays behind the entry's details toggle.
 */
export function describeEvent(e: SidebarEventJson, names: EventNames, locale: Locale): string {
  const p = (e.payload && typeof e.payload === 'object' ? e.payload : {}) as Record<string, unknown>;
  const t = i18n.t;
  const kind = e.type.slice(e.type.indexOf('.') + 1);
  const account = names.account(e.source, e.account);
  if (kind === 'subscribe') {
    const qr = str(p.qrScene);
    return qr
      ? t('event.subscribeScene', { account, scene: t('scene.qr', { scene: qr }) })
      : t('event.subscribe', { account });
  }
  if (kind === 'unsubscribe') return t('event.unsubscribe', { account });
  const staff = names.staff(str(p.staffUserId));
  if (kind === 'follow_added') {
    const way = names.addWay(str(p.staffUserId));
    return way === null
      ? t('event.followAdded', { staff })
      : t('event.followAddedWay', { staff, way: tKnown(`addWay.${way}`, String(way)) });
  }
  if (kind === 'follow_edited') return t('event.followEdited', { staff });
  if (kind === 'follow_removed')
    return p.by === 'customer'
      ? t('event.followRemovedByCustomer', { staff })
      : t('event.followRemovedByStaff', { staff });
  if (kind === 'transfer_failed') return t('event.transferFailed', { staff });
  if (kind === 'group.joined' || kind === 'group.left')
    return t(kind === 'group.joined' ? 'event.groupJoined' : 'event.groupLeft', {
      group: str(p.groupName) || str(p.chatId),
    });
  if (kind === 'succeeded' && e.source === 'wechat-pay')
    return t('event.paid', { amount: formatFen(num(p.amountTotal), locale), no: str(p.outTradeNo) });
  if (kind === 'refund' && e.source === 'wechat-pay')
    return t('event.refund', { amount: formatFen(num(p.amountRefund), locale), no: str(p.outTradeNo) });
  if (kind.startsWith('message.')) {
    const msgType = kind.slice('message.'.length);
    if (msgType === 'text') return t('event.messageText', { text: str(p.content) });
    return t('event.message', { kind: tKnown(`message.${msgType}`, t('message.other')) });
  }
  if (kind === 'qr_scan') return t('event.qrScan', { scene: str(p.scene) });
  if (kind === 'menu_click') return t('event.menuClick');
  if (kind === 'menu_view') return t('event.menuView');
  if (kind === 'template_send_finished') return t('event.templateSent');
  if (e.type === 'consent.changed') {
    // DESIGN §12: marketing in words; WeChat's subscription-message consents by their template.
    const raw = str(p.purpose);
    const template = /^subscribe_msg:(.+)$/.exec(raw)?.[1];
    const purpose =
      raw === 'marketing' ? t('consent.marketing') : template ? t('consent.subscribeMsg', { template }) : raw;
    return t(p.granted === true ? 'event.consentGranted' : 'event.consentWithdrawn', { purpose });
  }
  return t('event.other', { type: `${channelName(e.source)} · ${kind.replace(/[._]/g, ' ')}` });
}
