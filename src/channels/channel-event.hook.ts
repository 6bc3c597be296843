import type { IdentityRef } from '../../connectors/common/identity-types';
import type { FollowAdded, NormalizedEvent } from '../../connectors/common/normalized-event';
import { timelineKey } from '../events/timeline.writer';
import type { ApplyContext } from '../inbox/event-applier';
import type { EventHook } from '../inbox/event-hooks';
import { findChannelByCode } from '../storage/channels/channel.repository';
import { firstChannelOf, recordActivity, recordTouch } from '../storage/channels/customer-channel.repository';
import { claimWelcome } from '../storage/channels/welcome-send.repository';
import type { ChannelKind, ChannelRow } from '../storage/entities/channel.entity';
import { addAssignments } from '../storage/tags/customer-tag.repository';
import { marketingWithdrawn } from '../storage/consents/consent.repository';
import { findTags } from '../storage/tags/tag.repository';
import { OutboxWriter } from '../tags/outbox/outbox-writer';
import { WELCOME_CODE_TTL_MS } from './welcome-sender';
import { withTagEvents } from '../tags/assignments/tag-webhook-events';
import { recordWebhookEvent } from '../webhooks/webhook-event.writer';

/** Fanout `all` queues a superset; the pusher applies `tags.wecomFanout` when it computes each call. */
const writer = new OutboxWriter('all');

/** What brought the customer through the code: a follow through the QR code, a follower's scan, a WeCom add. */
type Via = 'subscribe' | 'scan' | 'add';

interface Arrival {
  kind: ChannelKind;
  code: string;
  subject: IdentityRef;
  via: Via;
  staffUserId?: string;
}

/** The channel code an inbound event names, if it names one (DESIGN §10.2). */
function arrivalOf(e: NormalizedEvent): Arrival | undefined {
  if (e.kind === 'subscription.changed' && e.subscribed && e.qrScene)
    return {
      kind: 'oa-qrcode',
      code: e.qrScene,
      subject: { type: 'oa_openid', scope: e.account, value: e.openid },
      via: 'subscribe',
    };
  if (e.kind === 'behaviour.recorded' && e.channel === 'official-account' && e.type === 'qr_scan') {
    const scene = e.properties.scene;
    return typeof scene === 'string' && scene !== ''
      ? { kind: 'oa-qrcode', code: scene, subject: e.subject, via: 'scan' }
      : undefined;
  }
  // A half contact (add_half_external_contact) has not accepted yet: the full add that follows attributes.
  if (e.kind === 'follow.added' && !e.half && e.state)
    return {
      kind: 'wecom-contact-way',
      code: e.state,
      subject: { type: 'wecom_external_userid', scope: e.account, value: e.externalUserId },
      via: 'add',
      staffUserId: e.staffUserId,
    };
  return undefined;
}

/** An unsubscribe or a customer deleting the staff member (del_follow_user): a loss for the channel that brought them. */
function lossOf(e: NormalizedEvent): IdentityRef | undefined {
  if (e.kind === 'subscription.changed' && !e.subscribed)
    return { type: 'oa_openid', scope: e.account, value: e.openid };
  if (e.kind === 'follow.removed' && e.by === 'customer')
    return { type: 'wecom_external_userid', scope: e.account, value: e.externalUserId };
  return undefined;
}

/**
 * Attribution (DESIGN §10.2), inside the inbox transaction: a subscribe through a channel's QR code, a follower's
 * scan of it, or a WeCom add through a channel's contact way records a touch (`customer_channels`, the per-day
 * activity), a `channel.touched` timeline event, and the channel's tags as assignments of source `channel`, queued
 * for the outbox like any assignment. Losses are counted for the customer's first channel. Every write is keyed
 * by the inbox event, so reprocessing a row writes nothing twice.
 */
export const channelEventHook: EventHook = {
  name: 'channels',
  kinds: ['subscription.changed', 'behaviour.recorded', 'follow.added', 'follow.removed'],
  async apply(ctx: ApplyContext, e: NormalizedEvent): Promise<void> {
    const key = timelineKey(`${ctx.row.dedupeKey}|channel`, ctx.index);
    const at = new Date(e.occurredAt);
    const lost = lossOf(e);
    if (lost) {
      const customerId = await ctx.customerOf(lost, `${e.channel}.channel`);
      const channelId = customerId ? await firstChannelOf(ctx.em, customerId) : undefined;
      if (customerId && channelId)
        await recordActivity(ctx.em, { channelId, customerId, at, dedupeKey: key, kind: 'lost' });
      return;
    }
    const arrival = arrivalOf(e);
    if (!arrival) return;
    const channel = await findChannelByCode(ctx.em, arrival.kind, e.account, arrival.code);
    if (!channel) return;
    const customerId = await ctx.customerOf(arrival.subject, `${e.channel}.channel`);
    if (!customerId) return;
    const touch = await recordTouch(ctx.em, { channelId: channel.id, customerId, at, dedupeKey: key });
    if (!touch) return;
    ctx.batch.timeline({
      customerId,
      source: e.channel,
      account: e.account,
      type: 'channel.touched',
      occurredAt: at,
      payload: {
        channelId: channel.id,
        channelName: channel.name,
        via: arrival.via,
        first: touch.first,
        ...(arrival.staffUserId ? { staffUserId: arrival.staffUserId } : {}),
      },
      dedupeKey: key,
      inboxId: ctx.row.id,
    });
    await recordWebhookEvent(
      ctx.em,
      'channel.touched',
      {
        customerId,
        channelId: channel.id,
        channelName: channel.name,
        via: arrival.via,
        first: touch.first,
        ...(arrival.staffUserId ? { staffUserId: arrival.staffUserId } : {}),
      },
      at,
    );
    await assignChannelTags(ctx, channel, customerId);
    if (e.kind === 'follow.added') await countUnsentWelcome(ctx, channel, e);
  },
};

/** Past the WelcomeCode's 20 s the fast path can no longer claim it: a code nobody claimed is counted as expired. */
const UNSENT_AFTER_MS = WELCOME_CODE_TTL_MS + 5_000;

async function countUnsentWelcome(ctx: ApplyContext, channel: ChannelRow, e: FollowAdded): Promise<void> {
  if (!e.welcomeCode || !channel.welcomeText) return;
  const eventAt = new Date(e.occurredAt);
  if (ctx.now.getTime() < eventAt.getTime() + UNSENT_AFTER_MS) return;
  await claimWelcome(
    ctx.em,
    {
      welcomeCode: e.welcomeCode,
      channelId: channel.id,
      corpId: e.account,
      staffUserid: e.staffUserId,
      externalUserid: e.externalUserId,
      eventAt,
    },
    'expired',
    'inbox',
    ctx.now,
  );
}

/**
 * The channel's live tags, source `channel`, queued for WeChat in the same transaction; none for a person who
 * withdrew the marketing consent (DESIGN §12).
 */
async function assignChannelTags(ctx: ApplyContext, channel: ChannelRow, customerId: string): Promise<void> {
  if (channel.tagIds.length === 0 || (await marketingWithdrawn(ctx.em, customerId))) return;
  for (const tag of await findTags(ctx.em, channel.tagIds)) {
    const added = await withTagEvents(ctx.em, 'assign', tag.id, [customerId], ['channel'], ctx.now, () =>
      addAssignments(ctx.em, tag.id, [customerId], 'channel', `channel:${channel.id}`, ctx.now),
    );
    if (added > 0) await writer.enqueueCustomers(ctx.em, tag.id, [customerId], ctx.now);
  }
}
