import { type CallbackFields, optionalText, typeName } from '../../common/callback-fields';
import { inboxKind } from '../../common/dedupe-key';
import type { NormalizedEvent } from '../../common/normalized-event';
import {
  behaviour,
  dropUndefined,
  eventDedupeKey,
  type MappedCallback,
  type PushContext,
  unsupported,
} from '../../common/push-mapping';
import { contentDedupeKey } from '../../common/dedupe-key';
import {
  mapPrivacyEvent,
  mapSubscribeMsgEvent,
  isPrivacyEvent,
  SUBSCRIBE_MSG_EVENTS,
} from '../../common/push-privacy-mapping';
import { type OaEventFields, type OaEventName, QR_SCENE_PREFIX } from '../types';

/** An OA's web-OAuth openid and its follower openid are one id: a privacy event concerns both. */
const OA_SUBJECT_TYPES = ['oa_openid', 'h5_openid'] as const;

/**
 * OA events (wechat-api.md §4.3) to NormalizedEvents.
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html
 */
export function mapOaEvent(
  ctx: PushContext,
  fields: CallbackFields,
  plaintext: string,
  opts: { storeLocation?: boolean } = {},
): MappedCallback {
  const field = (name: keyof OaEventFields): string | undefined => optionalText(fields, name);
  const event = typeName(fields, 'Event');
  const name = event.toLowerCase() as OaEventName;
  const base = { channel: ctx.channel, account: ctx.account, occurredAt: ctx.occurredAt };
  const kind = inboxKind(ctx.prefix, 'event', event);
  if (isPrivacyEvent(event)) return mapPrivacyEvent(ctx, fields, event, kind, OA_SUBJECT_TYPES);
  const subscribeMsg = SUBSCRIBE_MSG_EVENTS.find((e) => e === event);
  if (subscribeMsg) return mapSubscribeMsgEvent(ctx, fields, subscribeMsg, kind);

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
    case 'location': {
      // wechat-api-events.md §2.2. Unless the brand turned storeLocation on, nothing personal is kept: no
      // event, no body, and a key that is a digest (it would otherwise carry the openid).
      if (!opts.storeLocation)
        return {
          kind,
          dedupeKey: contentDedupeKey([ctx.prefix, ctx.account, 'location'], plaintext),
          events: [],
          raw: '',
        };
      const latitude = field('Latitude');
      const longitude = field('Longitude');
      if (latitude === undefined || longitude === undefined)
        return one(kind, ctx, event, fields, unsupported(ctx, kind));
      const precision = field('Precision');
      return one(kind, ctx, event, fields, {
        kind: 'location.reported',
        ...base,
        subject: { type: ctx.identityType, scope: ctx.account, value: ctx.openid },
        latitude,
        longitude,
        ...(precision !== undefined ? { precision } : {}),
      });
    }
    case 'masssendjobfinish': {
      // wechat-api-events.md §2.3: upper-case MsgID; one result per job, not about the sender in FromUserName.
      const msgId = field('MsgID') ?? '';
      const count = (name: keyof OaEventFields): number | undefined => {
        const v = field(name);
        return v !== undefined && /^\d{1,10}$/.test(v) ? Number(v) : undefined;
      };
      return {
        kind,
        dedupeKey: eventDedupeKey(ctx, event, fields, [msgId]),
        events: [
          {
            kind: 'mass_send.finished',
            ...base,
            msgId,
            status: (field('Status') ?? '').slice(0, 64),
            ...dropUndefined({
              totalCount: count('TotalCount'),
              filterCount: count('FilterCount'),
              sentCount: count('SentCount'),
              errorCount: count('ErrorCount'),
            }),
          },
        ],
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
