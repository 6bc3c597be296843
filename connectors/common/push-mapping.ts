import {
  type CallbackFields,
  createTimeIso,
  identifier,
  optionalText,
  stringFieldsExcept,
  text,
  typeName,
} from './callback-fields';
import { contentDedupeKey, dedupeKey, inboxKind } from './dedupe-key';
import type { IdentityType } from './identity-types';
import type { BehaviourRecorded, Channel, MessageReceived, NormalizedEvent, Unsupported } from './normalized-event';
import type { HttpReply } from './webhook-types';

/**
 * Mapping shared by OA and Mini Program pushes: both use the §4.3 field names (ToUserName, FromUserName,
 * CreateTime, MsgType, MsgId, Event, EventKey) and the dedupe rule of DESIGN §6.
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
 */
export interface PushContext {
  channel: Channel;
  /** `oa` / `mp`: first segment of dedupe keys and inbox kinds. */
  prefix: string;
  /** appid of the account. */
  account: string;
  identityType: IdentityType;
  openid: string;
  createTime: string;
  occurredAt: string;
}

/** What a mapper makes of one callback: the inbox `kind`, its dedupe key and the events. */
export interface MappedCallback {
  kind: string;
  dedupeKey: string;
  events: NormalizedEvent[];
  /** What the inbox keeps of the body when not the verified plaintext (a dropped LOCATION keeps nothing). */
  raw?: string;
}

/** WeChat treats `success` as "received, no passive reply" in every mode (wechat-api.md §4.4). */
export const SUCCESS_ACK: HttpReply = { status: 200, body: 'success', contentType: 'text/plain' };

export function pushContext(
  channel: Channel,
  prefix: string,
  account: string,
  identityType: IdentityType,
  fields: CallbackFields,
): PushContext {
  const { seconds, iso } = createTimeIso(fields);
  return {
    channel,
    prefix,
    account,
    identityType,
    openid: identifier(fields, 'FromUserName'),
    createTime: seconds,
    occurredAt: iso,
  };
}

const MESSAGE_COMMON = new Set(['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'MsgId', 'Content', 'Encrypt']);

/** Messages dedupe on MsgId (64-bit, kept as a string); one without MsgId falls back to its content hash. */
export function messageDedupeKey(ctx: PushContext, fields: CallbackFields, plaintext: string): string {
  const msgId = optionalText(fields, 'MsgId');
  return msgId
    ? dedupeKey([ctx.prefix, ctx.account, 'msg'], [msgId])
    : contentDedupeKey([ctx.prefix, ctx.account, 'msg'], plaintext);
}

/** Events: FromUserName + CreateTime + Event + EventKey, then any field that tells same-second events apart. */
export function eventDedupeKey(
  ctx: PushContext,
  event: string,
  fields: CallbackFields,
  extra: readonly (string | undefined)[] = [],
): string {
  return dedupeKey(
    [ctx.prefix, ctx.account, 'event'],
    [ctx.openid, ctx.createTime, event, optionalText(fields, 'EventKey'), ...extra],
  );
}

const PUSH_PREFIX: Partial<Record<IdentityType, string>> = { oa_openid: 'oa', mp_openid: 'mp' };

/**
 * How every OA / Mini Program event dedupe key of one openid starts (`oa:<appid>:event:<openid>:`), so erasure
 * (DESIGN §12) finds the person's event rows by a range of the unique key, unprocessed ones included.
 * Undefined for identity types pushes do not key on.
 */
export function eventKeyPrefixOf(type: IdentityType, account: string, openid: string): string | undefined {
  const prefix = PUSH_PREFIX[type];
  return prefix ? `${dedupeKey([prefix, account, 'event'], [openid])}:` : undefined;
}

export function messageReceived(ctx: PushContext, fields: CallbackFields): MessageReceived {
  const content = text(fields, 'Content');
  const msgId = optionalText(fields, 'MsgId');
  return {
    kind: 'message.received',
    channel: ctx.channel,
    account: ctx.account,
    occurredAt: ctx.occurredAt,
    openid: ctx.openid,
    msgType: typeName(fields, 'MsgType'),
    ...(msgId !== undefined ? { msgId } : {}),
    ...(content !== undefined ? { content } : {}),
    fields: stringFieldsExcept(fields, MESSAGE_COMMON),
  };
}

/**
 * Ordinary messages (text, image, voice, video, shortvideo, location, link, …) → message.received, deduped on
 * MsgId (wechat-api.md §4.4).
 */
export function mapPushMessage(ctx: PushContext, fields: CallbackFields, plaintext: string): MappedCallback {
  const received = messageReceived(ctx, fields);
  return {
    kind: inboxKind(ctx.prefix, 'message', received.msgType),
    dedupeKey: messageDedupeKey(ctx, fields, plaintext),
    events: [received],
  };
}

export function behaviour(ctx: PushContext, type: string, properties: Record<string, unknown>): BehaviourRecorded {
  return {
    kind: 'behaviour.recorded',
    channel: ctx.channel,
    account: ctx.account,
    occurredAt: ctx.occurredAt,
    subject: { type: ctx.identityType, scope: ctx.account, value: ctx.openid },
    type,
    properties: dropUndefined(properties),
  };
}

export function unsupported(ctx: Pick<PushContext, 'channel' | 'account' | 'occurredAt'>, what: string): Unsupported {
  return { kind: 'unsupported', channel: ctx.channel, account: ctx.account, occurredAt: ctx.occurredAt, what };
}

export function dropUndefined<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}
