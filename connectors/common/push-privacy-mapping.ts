import { type CallbackFields, type CallbackValue, malformed, optionalText } from './callback-fields';
import { dedupeKey } from './dedupe-key';
import type { IdentityRef } from './identity-types';
import type { NormalizedEvent, PrivacyNotice } from './normalized-event';
import {
  behaviour,
  dropUndefined,
  eventDedupeKey,
  type MappedCallback,
  type PushContext,
  unsupported,
} from './push-mapping';

/**
 * Privacy and subscribe-message events shared by OA and Mini Program pushes (wechat-api-events.md §1, §2.5).
 * https://developers.weixin.qq.com/miniprogram/dev/server/event_push/platform/authorized_user_information_changes
 * https://developers.weixin.qq.com/doc/service/guide/product/subscription_messages/push.md
 */
const PRIVACY_EVENTS: ReadonlyMap<string, PrivacyNotice['action']> = new Map([
  ['user_info_modified', 'info_modified'],
  ['user_authorization_revoke', 'revoke'],
  ['user_authorization_cancellation', 'cancellation'],
]);

export function isPrivacyEvent(event: string): boolean {
  return PRIVACY_EVENTS.has(event);
}

export const SUBSCRIBE_MSG_EVENTS = [
  'subscribe_msg_popup_event',
  'subscribe_msg_change_event',
  'subscribe_msg_sent_event',
] as const;

/** The XML wrapper of each subscribe-message event; the MP JSON push has none (the List is top-level). */
const WRAPPER: Record<(typeof SUBSCRIBE_MSG_EVENTS)[number], string> = {
  subscribe_msg_popup_event: 'SubscribeMsgPopupEvent',
  subscribe_msg_change_event: 'SubscribeMsgChangeEvent',
  subscribe_msg_sent_event: 'SubscribeMsgSentEvent',
};

/** At most this many templates are read from one push (WeChat's popup offers at most 3). */
const MAX_ITEMS = 20;

const IDENTIFIER = /^[\x21-\x7e]{1,64}$/;

/**
 * A privacy event: the affected user is `OpenID` (FromUserName is the platform's sender), keyed
 * AppID+OpenID+Event+RevokeInfo+CreateTime (DESIGN §6) under the openid's event-key prefix, so erasure finds
 * these rows with the person's other events. `AppID` is this account's appid; the subjects are scoped to the
 * account the push arrived on whatever it says, so a mislabelled push cannot reach another app's users. OpenID has been seen missing on user_info_modified: such a push is
 * acked and recorded as unsupported (there is no one to act on).
 */
export function mapPrivacyEvent(
  ctx: PushContext,
  fields: CallbackFields,
  event: string,
  kind: string,
  subjectTypes: readonly IdentityRef['type'][],
): MappedCallback {
  const action = PRIVACY_EVENTS.get(event) ?? 'info_modified';
  const openid = optionalText(fields, 'OpenID');
  const revokeInfo = optionalText(fields, 'RevokeInfo');
  if (openid === undefined || !IDENTIFIER.test(openid)) {
    return { kind, dedupeKey: eventDedupeKey(ctx, event, fields, [revokeInfo]), events: [unsupported(ctx, kind)] };
  }
  if (revokeInfo !== undefined && !/^\d{1,6}$/.test(revokeInfo)) throw malformed('RevokeInfo is not a code');
  const pluginId = optionalText(fields, 'PluginID');
  const notice: PrivacyNotice = {
    kind: 'privacy.notice',
    channel: ctx.channel,
    account: ctx.account,
    occurredAt: ctx.occurredAt,
    action,
    subjects: subjectTypes.map((type) => ({ type, scope: ctx.account, value: openid })),
    ...(revokeInfo !== undefined ? { revokeInfo } : {}),
    ...(pluginId !== undefined ? { pluginId } : {}),
  };
  return {
    kind,
    dedupeKey: dedupeKey([ctx.prefix, ctx.account, 'event'], [openid, ctx.createTime, event, revokeInfo]),
    events: [notice],
  };
}

/** The `List` items of a subscribe-message event, XML (inside the wrapper, one List per template) or JSON. */
function listItems(fields: CallbackFields, event: (typeof SUBSCRIBE_MSG_EVENTS)[number]): CallbackFields[] {
  const wrapper = fields[WRAPPER[event]];
  const holder = wrapper !== undefined && typeof wrapper === 'object' && !Array.isArray(wrapper) ? wrapper : fields;
  const list: CallbackValue | undefined = holder.List;
  const items = Array.isArray(list) ? list : list === undefined ? [] : [list];
  if (items.length > MAX_ITEMS) throw malformed(`more than ${MAX_ITEMS} templates in one push`);
  return items.map((item) => {
    if (typeof item !== 'object' || Array.isArray(item)) throw malformed('List item is not an object');
    return item;
  });
}

function itemText(item: CallbackFields, name: string): string | undefined {
  const v = item[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Popup and change events become one consent per template (accept / acceptWithAudio grant, anything else
 * withdraws); the sent event is a behaviour with each template's result. Two pushes of one user in one second
 * differ only in their lists, so the templates and statuses are part of the key.
 */
export function mapSubscribeMsgEvent(
  ctx: PushContext,
  fields: CallbackFields,
  event: (typeof SUBSCRIBE_MSG_EVENTS)[number],
  kind: string,
): MappedCallback {
  const items = listItems(fields, event);
  const subject: IdentityRef = { type: ctx.identityType, scope: ctx.account, value: ctx.openid };
  const base = { channel: ctx.channel, account: ctx.account, occurredAt: ctx.occurredAt };
  const keyParts = items.map(
    (i) => `${itemText(i, 'TemplateId') ?? ''}=${itemText(i, 'SubscribeStatusString') ?? itemText(i, 'MsgID') ?? ''}`,
  );
  const key = eventDedupeKey(ctx, event, fields, [keyParts.join(',')]);
  if (event === 'subscribe_msg_sent_event') {
    const results = items.map((i) =>
      dropUndefined({
        templateId: itemText(i, 'TemplateId'),
        msgId: itemText(i, 'MsgID'),
        errorCode: itemText(i, 'ErrorCode'),
        errorStatus: itemText(i, 'ErrorStatus'),
      }),
    );
    return { kind, dedupeKey: key, events: [behaviour(ctx, 'subscribe_msg_sent', { results })] };
  }
  const events: NormalizedEvent[] = [];
  for (const item of items) {
    const templateId = itemText(item, 'TemplateId');
    const status = itemText(item, 'SubscribeStatusString');
    if (templateId === undefined || status === undefined) continue;
    if (templateId.length > 100) throw malformed('TemplateId is too long');
    const popupScene = itemText(item, 'PopupScene');
    events.push({
      ...base,
      kind: 'consent.observed',
      subject,
      templateId,
      status: status.slice(0, 32),
      granted: status === 'accept' || status === 'acceptWithAudio',
      trigger: event === 'subscribe_msg_popup_event' ? 'popup' : 'change',
      ...(popupScene !== undefined ? { popupScene } : {}),
    });
  }
  return { kind, dedupeKey: key, events: events.length > 0 ? events : [unsupported(ctx, kind)] };
}
