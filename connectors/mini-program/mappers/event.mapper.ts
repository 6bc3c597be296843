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
import { isMpBehaviourEvent } from '../types';

const COMMON = new Set(['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Event', 'Encrypt']);

/**
 * Mini Program user events → behaviour.recorded on the mp_openid; other events (audits, platform notices)
 * → unsupported. Dedupe: FromUserName + CreateTime + Event + EventKey + a digest of the remaining fields, since
 * two subscription-message events of one user in one second differ only in their nested List.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/
 */
export function mapMpEvent(ctx: PushContext, fields: CallbackFields): MappedCallback {
  const event = typeName(fields, 'Event');
  const kind = inboxKind(ctx.prefix, 'event', event);
  const properties = fieldsExcept(fields, COMMON);
  const digest = createHash('sha256').update(JSON.stringify(properties), 'utf8').digest('hex').slice(0, 16);
  const dedupeKey = eventDedupeKey(ctx, event, fields, [digest]);
  if (!isMpBehaviourEvent(event)) return { kind, dedupeKey, events: [unsupported(ctx, kind)] };
  return { kind, dedupeKey, events: [behaviour(ctx, event, properties)] };
}
