import type { TimelineItem } from '../api/types';
import { money } from '../fmt';
import { t } from '../i18n';
import {
  addWayLabel,
  channelLabel,
  consentPurposeLabel,
  consentSourceLabel,
  eventTypeLabel,
  joinSceneLabel,
  sceneLabel,
  word,
} from '../labels';
import { accountName, staffName } from '../names';

/** A timeline entry in words for people: what happened, then the facts that matter (text, amount, staff, scene). */
export interface EntryText {
  title: string;
  facts: string[];
}

const str = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;

export function entryText(e: TimelineItem): EntryText {
  const p = (e.payload && typeof e.payload === 'object' ? e.payload : {}) as Record<string, unknown>;
  const account = accountName(e.account);
  const facts: string[] = [];
  const add = (key: Parameters<typeof t>[0], value: string | null) => {
    if (value) facts.push(t(key, { value }));
  };
  const staff = () => (str(p.staffUserId) ? staffName(e.account, String(p.staffUserId), str(p.staffName)) : null);
  switch (e.type) {
    case 'oa.subscribe':
      add('timeline.scene', str(p.scene) ? sceneLabel(String(p.scene)) : null);
      add('timeline.qrScene', str(p.qrScene));
      return { title: t('timeline.subscribed', { account }), facts };
    case 'oa.unsubscribe':
      return { title: t('timeline.unsubscribed', { account }), facts };
    case 'wecom.follow_added':
      add('timeline.addWay', typeof p.addWay === 'number' ? addWayLabel(p.addWay) : null);
      add('timeline.channelState', str(p.state));
      return { title: t('timeline.followAdded', { staff: staff() ?? '—' }), facts };
    case 'wecom.follow_edited':
      return { title: t('timeline.followEdited', { staff: staff() ?? '—' }), facts };
    case 'wecom.follow_removed':
      return {
        title: t(p.by === 'staff' ? 'timeline.followRemovedByStaff' : 'timeline.followRemovedByCustomer', {
          staff: staff() ?? '—',
        }),
        facts,
      };
    case 'wecom.transfer_failed':
      add('timeline.reason', str(p.failReason));
      return { title: t('timeline.transferFailed', { staff: staff() ?? '—' }), facts };
    case 'wecom.group.joined':
      add('timeline.joinScene', typeof p.joinScene === 'number' ? joinSceneLabel(p.joinScene) : null);
      return { title: t('timeline.groupJoined', { group: str(p.groupName) ?? str(p.chatId) ?? '—' }), facts };
    case 'wecom.group.left':
      add('timeline.quitScene', typeof p.quitScene === 'number' ? word('quitScene', p.quitScene) : null);
      return { title: t('timeline.groupLeft', { group: str(p.groupName) ?? str(p.chatId) ?? '—' }), facts };
    case 'pay.succeeded':
      add('timeline.orderNo', str(p.outTradeNo));
      return {
        title: t('timeline.paid', { amount: money(typeof p.amountTotal === 'number' ? p.amountTotal : null) }),
        facts,
      };
    case 'pay.refund':
      add('timeline.orderNo', str(p.outTradeNo));
      add('timeline.refundNo', str(p.outRefundNo));
      return {
        title: t('timeline.refunded', { amount: money(typeof p.amountRefund === 'number' ? p.amountRefund : null) }),
        facts,
      };
    case 'consent.changed': {
      // DESIGN §12: the purpose in words, the channel when it is tied to one, who said so.
      const purpose = consentPurposeLabel(str(p.purpose) ?? '');
      add('timeline.channel', str(p.channel) ? channelLabel(String(p.channel)) : null);
      add('timeline.consentSource', str(p.source) ? consentSourceLabel(String(p.source)) : null);
      return {
        title: t(p.granted === true ? 'timeline.consentGranted' : 'timeline.consentWithdrawn', { purpose }),
        facts,
      };
    }
    default:
      break;
  }
  if (/^\w+\.message\./.test(e.type)) {
    const content = str(p.content);
    return {
      title: content
        ? t('timeline.messageText', { text: content })
        : t('timeline.messageOther', { kind: eventTypeLabel(e.type) }),
      facts: [t('timeline.via', { value: account })],
    };
  }
  // Behaviour from H5 / Mini Program pages and server-to-server events: the type in words, a few short properties.
  for (const [k, v] of Object.entries(p).slice(0, 4))
    if (typeof v === 'string' || typeof v === 'number') facts.push(`${k}: ${String(v).slice(0, 60)}`);
  return { title: eventTypeLabel(e.type), facts };
}
