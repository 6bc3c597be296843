import { createHash } from 'crypto';
import { type CallbackFields, fieldsExcept, typeName } from '../../common/callback-fields';
import { inboxKind } from '../../common/dedupe-key';
import {
  behaviour,
  eventDedupeKey,
  type MappedCallback,
  type PushContext,
  unsupported,
} from '../../common/push-mapping';
import {
  mapPrivacyEvent,
  mapSubscribeMsgEvent,
  isPrivacyEvent,
  SUBSCRIBE_MSG_EVENTS,
} from '../../common/push-privacy-mapping';
import { isMpBehaviourEvent } from '../types';

const COMMON = new Set(['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Event', 'Encrypt']);

/**
 * Mini Program privacy events (user in OpenID) → privacy.notice; subscribe-message popup/change → one
 * consent.observed per template, the sent result → behaviour (XML with its wrapper or JSON with a top-level
 * List, object or array); other user events → behaviour.recorded on the mp_openid; the rest (audits, platform
 * notices) → unsupported. Dedupe: FromUserName + CreateTime + Event + EventKey + a digest of the remaining fields, since
 * two subscription-message events of one user in one second differ only in their nested List.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/
 */
export function mapMpEvent(ctx: PushContext, fields: CallbackFields): MappedCallback {
  const event = typeName(fields, 'Event');
  const kind = inboxKind(ctx.prefix, 'event', event);
  if (isPrivacyEvent(event)) return mapPrivacyEvent(ctx, fields, event, kind, ['mp_openid']);
  const subscribeMsg = SUBSCRIBE_MSG_EVENTS.find((e) => e === event);
  if (subscribeMsg) return mapSubscribeMsgEvent(ctx, fields, subscribeMsg, kind);
  const properties = fieldsExcept(fields, COMMON);
  const digest = createHash('sha256').update(JSON.stringify(properties), 'utf8').digest('hex').slice(0, 16);
  const dedupeKey = eventDedupeKey(ctx, event, fields, [digest]);
  if (!isMpBehaviourEvent(event)) return { kind, dedupeKey, events: [unsupported(ctx, kind)] };
  return { kind, dedupeKey, events: [behaviour(ctx, event, properties)] };
}
