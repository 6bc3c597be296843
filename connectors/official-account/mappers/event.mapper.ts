import { type CallbackFields, optionalText, typeName } from '../../common/callback-fields';
import { inboxKind } from '../../common/dedupe-key';
import type { NormalizedEvent } from '../../common/normalized-event';
import {
  behaviour,
  eventDedupeKey,
  type MappedCallback,
  type PushContext,
  unsupported,
} from '../../common/push-mapping';
import { type OaEventFields, type OaEventName, QR_SCENE_PREFIX } from '../types';

/**
 * OA events (wechat-api.md §4.3) to NormalizedEvents.
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html
 */
export function mapOaEvent(ctx: PushContext, fields: CallbackFields): MappedCallback {
  const field = (name: keyof OaEventFields): string | undefined => optionalText(fields, name);
  const event = typeName(fields, 'Event');
  const name = event.toLowerCase() as OaEventName;
  const base = { channel: ctx.channel, account: ctx.account, occurredAt: ctx.occurredAt };
  const kind = inboxKind(ctx.prefix, 'event', event);

  switch (name) {
    case 'subscribe': {
      // A plain follow may carry an empty EventKey; a parametric QR carries `qrscene_<scene>` and a Ticket.
      const key = field('EventKey');
      const qrScene = key?.startsWith(QR_SCENE_PREFIX) ? key.slice(QR_SCENE_PREFIX.length) : undefined;
      const ticket = field('Ticket');
      return {
        kind,
        dedupeKey: eventDedupeKey(ctx, event, fields),
        events: [
          {
            ...base,
            kind: 'identity.observed',
            identities: [{ type: ctx.identityType, scope: ctx.account, value: ctx.openid }],
            source: `${ctx.prefix}.subscribe`,
          },
          {
            ...base,
            kind: 'subscription.changed',
            openid: ctx.openid,
            subscribed: true,
            ...(qrScene !== undefined ? { qrScene } : {}),
            ...(ticket !== undefined ? { ticket } : {}),
          },
        ],
      };
    }
    case 'unsubscribe':
      return {
        kind,
        dedupeKey: eventDedupeKey(ctx, event, fields),
        events: [{ ...base, kind: 'subscription.changed', openid: ctx.openid, subscribed: false }],
      };
    case 'scan':
      return one(
        kind,
        ctx,
        event,
        fields,
        behaviour(ctx, 'qr_scan', { scene: field('EventKey') ?? '', ticket: field('Ticket') }),
      );
    case 'click':
      return one(kind, ctx, event, fields, behaviour(ctx, 'menu_click', { key: field('EventKey') ?? '' }));
    case 'view':
      return one(
        kind,
        ctx,
        event,
        fields,
        behaviour(ctx, 'menu_view', { url: field('EventKey') ?? '', menuId: field('MenuId') }),
      );
    case 'templatesendjobfinish': {
      // Two template results for one user in one second differ only by MsgID.
      const msgId = field('MsgID');
      const props = { msgId, status: field('Status') ?? '' };
      return {
        kind,
        dedupeKey: eventDedupeKey(ctx, event, fields, [msgId]),
        events: [behaviour(ctx, 'template_send_finished', props)],
      };
    }
    default:
      return { kind, dedupeKey: eventDedupeKey(ctx, event, fields), events: [unsupported(ctx, kind)] };
  }
}

function one(
  kind: string,
  ctx: PushContext,
  event: string,
  fields: CallbackFields,
  e: NormalizedEvent,
): MappedCallback {
  return { kind, dedupeKey: eventDedupeKey(ctx, event, fields), events: [e] };
}
