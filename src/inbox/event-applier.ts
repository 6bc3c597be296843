import type { DataSource, EntityManager } from '../storage';
import { PrivacyActions } from '../privacy/privacy-actions';
import { ConsentService } from '../privacy/consent.service';
import type { IdentityRef, IdentityType } from '../../connectors/common/identity-types';
import type { Channel, NormalizedEvent, PaymentSucceeded } from '../../connectors/common/normalized-event';
import type { SiyuConfig } from '../../config';
import { survivorOf } from '../storage/customers/customer.repository';
import { findIdentities } from '../storage/identity/identity.repository';
import { type SubscriptionKey, lockSubscriptions } from '../storage/events/oa-subscription.repository';
import { type FollowKey, lockFollows } from '../storage/events/wecom-follow.repository';
import type { IdentityService } from '../identity/identity.service';
import { identityKey } from '../identity/identity-keys';
import { applyFollow } from '../events/follow.writer';
import { applySubscription } from '../events/subscription.writer';
import { timelineKey } from '../events/timeline.writer';
import { applyPayment, applyRefund } from '../events/transactions.writer';
import { eventHooks } from './event-hooks';
import type { InboxRecord } from '../storage/inbox/inbox.repository';
import { recordWebhookEvent } from '../webhooks/webhook-event.writer';
import { InboxBatch } from './inbox-batch';

/** Timeline `type` prefix per channel: `oa.subscribe`, `mp.message.text`, `wecom.follow_added`, `pay.succeeded`. */
const PREFIX: Record<Channel, string> = {
  'official-account': 'oa',
  'mini-program': 'mp',
  wecom: 'wecom',
  h5: 'h5',
  'wechat-pay': 'pay',
};
const OPENID_TYPE: Partial<Record<Channel, IdentityType>> = {
  'official-account': 'oa_openid',
  'mini-program': 'mp_openid',
  h5: 'h5_openid',
};
const PAYER_TYPES: IdentityType[] = ['oa_openid', 'mp_openid', 'h5_openid'];

/** An inbox row, its events read back as the connectors' NormalizedEvents. */
export type InboxRow = InboxRecord<NormalizedEvent>;

/**
 * Events whose hooks write timeline rows directly rather than through the batch (the group timeline): what the
 * batch deferred is written first, so the timeline keeps the callbacks' order.
 */
const WRITES_TIMELINE_ITSELF: ReadonlySet<NormalizedEvent['kind']> = new Set(['group.changed', 'group.dismissed']);

export interface ApplyContext {
  em: EntityManager;
  row: InboxRow;
  index: number;
  now: Date;
  /** The row's batch: hooks defer their writes to its end (InboxBatch.defer). */
  batch: InboxBatch;
  /** The customer of one identity, created if new: hooks that report on a person resolve them as the core does. */
  customerOf(ref: IdentityRef, source: string): Promise<string | null>;
}

/** The customers of the identities a row has resolved so far (identityKey → customer id), kept for that row only. */
type Resolved = Map<string, string | null>;

/**
 * Turns one inbox row's NormalizedEvents into identities, channel state and timeline entries (DESIGN §6), all in
 * the caller's transaction. Every write is keyed (identities, dedupe keys, unique relations), so reprocessing a
 * row after a crash or a retry writes nothing twice.
 */
export class EventApplier {
  private readonly privacy: PrivacyActions;
  private readonly consents: ConsentService;

  constructor(
    private readonly identity: IdentityService,
    private readonly config: SiyuConfig,
    ds: DataSource,
  ) {
    this.privacy = new PrivacyActions(ds, config);
    this.consents = new ConsentService({ ds, now: () => Date.now() });
  }

  /**
   * Reads and locks, in one go, what the rows of a batch name (the locks of DESIGN §4, taken in one sorted statement
   * each rather than row by row): their identities with customers and tombstones, and the OA subscriptions and
   * WeCom relations they change.
   */
  async prefetch(batch: InboxBatch, rows: readonly InboxRow[]): Promise<void> {
    const refs: IdentityRef[] = [];
    const subscriptions: SubscriptionKey[] = [];
    const follows: FollowKey[] = [];
    for (const row of rows)
      for (const e of row.events) {
        refs.push(...namedIdentities(e));
        if (e.kind === 'subscription.changed') subscriptions.push({ appId: e.account, openid: e.openid });
        if (e.kind === 'follow.added' || e.kind === 'follow.edited' || e.kind === 'follow.removed')
          follows.push({ corpId: e.account, staffUserid: e.staffUserId, externalUserid: e.externalUserId });
      }
    await this.identity.prefetch(batch.em, refs, batch.identities);
    if (subscriptions.length > 0)
      for (const [k, v] of await lockSubscriptions(batch.em, subscriptions)) batch.subscriptions.set(k, v);
    if (follows.length > 0) for (const [k, v] of await lockFollows(batch.em, follows)) batch.follows.set(k, v);
  }

  /** One row in `batch` (whose flush the caller runs), or alone: then its deferred writes are made before return. */
  async applyRow(em: EntityManager, row: InboxRow, now: Date, batch?: InboxBatch): Promise<void> {
    const own = batch ?? new InboxBatch(em, now);
    // A callback names its person in several events (a subscribe observes the openid, then changes the
    // subscription): within the row's transaction the first resolution holds its locks, so later ones reuse it.
    const resolved: Resolved = new Map();
    for (let index = 0; index < row.events.length; index++) {
      const event = row.events[index]!;
      const ctx: ApplyContext = {
        em,
        row,
        index,
        now,
        batch: own,
        customerOf: (ref, source) => this.customerOf(ctx, resolved, ref, source),
      };
      if (WRITES_TIMELINE_ITSELF.has(event.kind)) await own.flush();
      if (event.kind === 'identity.observed') await this.observe(ctx, resolved, event);
      else if (event.kind === 'privacy.notice') await this.privacyNotice(ctx, resolved, event);
      else await this.apply(ctx, event);
      for (const hook of eventHooks) if (hook.kinds.includes(event.kind)) await hook.apply(ctx, event);
      // A settled transfer ends and starts relations itself (transfers/transfer-effects.ts).
      if (event.kind === 'follow.transfer_failed') own.follows.clear();
    }
    if (!batch) await own.flush();
  }

  /**
   * A privacy event deletes and unlinks what a person left (DESIGN §12): what the batch deferred lands first so
   * it is deleted too, and nothing read before it (identities, customers, subscriptions, relations) is trusted
   * after it.
   */
  private async privacyNotice(
    ctx: ApplyContext,
    resolved: Resolved,
    e: Extract<NormalizedEvent, { kind: 'privacy.notice' }>,
  ): Promise<void> {
    await ctx.batch.flush();
    await this.privacy.apply({ em: ctx.em, now: ctx.now, inboxKey: ctx.row.dedupeKey, index: ctx.index }, e);
    ctx.batch.forgetReads();
    resolved.clear();
  }

  private async apply(ctx: ApplyContext, e: NormalizedEvent): Promise<void> {
    const at = new Date(e.occurredAt);
    switch (e.kind) {
      case 'identity.observed':
        // applyRow observes identities itself (observe), keeping what it resolved for the row's later events.
        return;
      case 'subscription.changed': {
        const customerId = await ctx.customerOf(
          { type: 'oa_openid', scope: e.account, value: e.openid },
          'oa.subscription',
        );
        await applySubscription(
          ctx.em,
          {
            appId: e.account,
            openid: e.openid,
            customerId,
            subscribed: e.subscribed,
            occurredAt: at,
            qrScene: e.qrScene,
          },
          ctx.now,
          ctx.batch.subscriptions,
        );
        await recordWebhookEvent(
          ctx.em,
          e.subscribed ? 'follow.added' : 'follow.removed',
          {
            customerId,
            channel: 'oa',
            appId: e.account,
            openid: e.openid,
            ...(e.qrScene ? { qrScene: e.qrScene } : {}),
          },
          at,
        );
        await this.timeline(ctx, e, customerId, e.subscribed ? 'subscribe' : 'unsubscribe', {
          openid: e.openid,
          qrScene: e.qrScene,
          ticket: e.ticket,
        });
        return;
      }
      case 'follow.added':
      case 'follow.edited':
      case 'follow.removed': {
        const customerId = await ctx.customerOf(
          { type: 'wecom_external_userid', scope: e.account, value: e.externalUserId },
          'wecom.follow',
        );
        const change = e.kind === 'follow.added' ? 'added' : e.kind === 'follow.edited' ? 'edited' : 'removed';
        await applyFollow(
          ctx.em,
          {
            corpId: e.account,
            staffUserId: e.staffUserId,
            externalUserId: e.externalUserId,
            customerId,
            occurredAt: at,
            change,
            state: e.kind === 'follow.added' ? e.state : undefined,
            transferred: e.kind === 'follow.removed' && e.source === 'DELETE_BY_TRANSFER',
          },
          ctx.now,
          ctx.batch.follows,
        );
        if (change !== 'edited')
          await recordWebhookEvent(
            ctx.em,
            change === 'added' ? 'follow.added' : 'follow.removed',
            {
              customerId,
              channel: 'wecom',
              corpId: e.account,
              userid: e.staffUserId,
              externalUserId: e.externalUserId,
            },
            at,
          );
        const { kind: _k, channel: _c, account: _a, occurredAt: _o, ...payload } = e;
        await this.timeline(ctx, e, customerId, `follow_${change}`, payload);
        return;
      }
      case 'follow.transfer_failed': {
        const customerId = await ctx.customerOf(
          { type: 'wecom_external_userid', scope: e.account, value: e.externalUserId },
          'wecom.follow',
        );
        await this.timeline(ctx, e, customerId, 'transfer_failed', {
          staffUserId: e.staffUserId,
          externalUserId: e.externalUserId,
          failReason: e.failReason,
        });
        return;
      }
      case 'payment.succeeded': {
        const customerId = await this.payer(ctx, e);
        await applyPayment(ctx.em, e.account, e, customerId, ctx.now);
        await recordWebhookEvent(
          ctx.em,
          'payment.succeeded',
          {
            customerId,
            mchId: e.account,
            outTradeNo: e.outTradeNo,
            transactionId: e.transactionId,
            amountFen: e.amountTotal,
            currency: e.currency || 'CNY',
          },
          at,
        );
        await this.timeline(ctx, e, customerId, 'succeeded', {
          outTradeNo: e.outTradeNo,
          transactionId: e.transactionId,
          amountTotal: e.amountTotal,
          currency: e.currency,
          tradeType: e.tradeType,
          appId: e.appId,
        });
        return;
      }
      case 'payment.refunded': {
        const customerId = await applyRefund(ctx.em, e.account, e, ctx.now);
        await recordWebhookEvent(
          ctx.em,
          'payment.refunded',
          {
            customerId,
            mchId: e.account,
            outTradeNo: e.outTradeNo,
            outRefundNo: e.outRefundNo,
            refundFen: e.amountRefund,
            refundStatus: e.refundStatus,
          },
          at,
        );
        await this.timeline(ctx, e, customerId, 'refund', {
          outTradeNo: e.outTradeNo,
          outRefundNo: e.outRefundNo,
          amountRefund: e.amountRefund,
          refundStatus: e.refundStatus,
        });
        return;
      }
      case 'message.received': {
        const type = OPENID_TYPE[e.channel];
        if (!type) return;
        const customerId = await ctx.customerOf(
          { type, scope: e.account, value: e.openid },
          `${PREFIX[e.channel]}.message`,
        );
        await this.timeline(ctx, e, customerId, `message.${e.msgType}`, {
          msgId: e.msgId,
          content: e.content,
          ...e.fields,
        });
        return;
      }
      case 'behaviour.recorded': {
        const customerId = await ctx.customerOf(e.subject, `${PREFIX[e.channel]}.${e.type}`);
        await this.timeline(ctx, e, customerId, e.type, e.properties);
        return;
      }
      case 'location.reported': {
        // Only present when privacy.storeLocation is on: the connector drops LOCATION otherwise.
        const customerId = await ctx.customerOf(e.subject, `${PREFIX[e.channel]}.location`);
        await this.timeline(ctx, e, customerId, 'location', {
          latitude: e.latitude,
          longitude: e.longitude,
          precision: e.precision,
        });
        return;
      }
      case 'mass_send.finished': {
        // A result of the account's mass send, about no one person: a timeline row without a customer.
        const { kind: _k, channel: _c, account: _a, occurredAt: _o, ...payload } = e;
        await this.timeline(ctx, e, null, 'mass_send_finished', payload);
        return;
      }
      case 'consent.observed': {
        const customerId = await ctx.customerOf(e.subject, `${PREFIX[e.channel]}.subscribe_msg`);
        await this.timeline(ctx, e, customerId, `subscribe_msg_${e.trigger}`, {
          templateId: e.templateId,
          status: e.status,
          popupScene: e.popupScene,
        });
        // The person's answer for that template is their consent for it (DESIGN §12), per channel. The consent
        // service writes its consent.changed entry itself: the popup's entry goes first.
        await ctx.batch.flush();
        if (customerId)
          await this.consents.recordWithin(
            ctx.em,
            {
              customerId,
              purpose: `subscribe_msg:${e.templateId}`,
              channel: PREFIX[e.channel],
              granted: e.granted,
              source: 'wechat',
              at: new Date(e.occurredAt),
            },
            ctx.now,
          );
        return;
      }
      case 'privacy.notice':
        // applyRow hands these to privacyNotice.
        return;
      case 'tag.changed':
      case 'staff.changed':
      case 'group.changed':
      case 'group.dismissed':
      case 'unsupported':
        // The corp tag library, the staff directory and customer groups are their modules' hooks (event-hooks.ts);
        // unsupported carries nothing.
        return;
    }
  }

  private async observe(
    ctx: ApplyContext,
    resolved: Resolved,
    e: Extract<NormalizedEvent, { kind: 'identity.observed' }>,
  ): Promise<void> {
    const { customerId } = await this.identity.resolve(
      ctx.em,
      { identities: e.identities, source: e.source, verified: e.verified, profile: e.profile, inboxId: ctx.row.id },
      ctx.batch.identities,
    );
    // With one identity the result is that identity's customer. Several may have merged customers the row
    // resolved before, or been refused as evidence and stay apart: nothing kept is trusted after them.
    if (e.identities.length === 1) resolved.set(identityKey(e.identities[0]!), customerId);
    else resolved.clear();
  }

  /** The customer of one identity, created if new (a person seen only by openid is a normal state, DESIGN §4). */
  private async customerOf(
    ctx: ApplyContext,
    resolved: Resolved,
    ref: IdentityRef,
    source: string,
  ): Promise<string | null> {
    const key = identityKey(ref);
    if (resolved.has(key)) return resolved.get(key)!;
    const { customerId } = await this.identity.resolve(
      ctx.em,
      { identities: [ref], source, inboxId: ctx.row.id },
      ctx.batch.identities,
    );
    resolved.set(key, customerId);
    return customerId;
  }

  /**
   * The payer openid is an openid of `appid` (DESIGN §4: Pay is no verified source, and the notification does
   * not say OA or MP): an existing identity of that appid of any openid type, else a new customer with the
   * identity type of the configured OA / MP, else the transaction stays unlinked.
   */
  private async payer(ctx: ApplyContext, e: PaymentSucceeded): Promise<string | null> {
    if (!e.payerOpenid || !e.appId) return null;
    // A locking read, as identity resolution does: a merge moving this identity either finishes first (we read the
    // survivor) or waits for this transaction (and then moves the transaction we wrote), never loses it between.
    const [held] = await findIdentities(
      ctx.em,
      PAYER_TYPES.map((type) => ({ type, scope: e.appId, value: e.payerOpenid })),
      true,
    );
    if (held) {
      const c = await survivorOf(ctx.em, held.customerId);
      return c?.status === 'active' ? c.id : null;
    }
    const account = this.config.accounts.find(
      (a) => (a.kind === 'official-account' || a.kind === 'mini-program') && a.appId === e.appId,
    );
    if (!account) return null;
    const type: IdentityType = account.kind === 'official-account' ? 'oa_openid' : 'mp_openid';
    return ctx.customerOf({ type, scope: e.appId, value: e.payerOpenid }, 'pay.payer');
  }

  private async timeline(
    ctx: ApplyContext,
    e: NormalizedEvent,
    customerId: string | null,
    type: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const clean: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(payload)) if (v !== undefined) clean[k] = v;
    ctx.batch.timeline({
      customerId,
      source: e.channel,
      account: e.account,
      type: `${PREFIX[e.channel]}.${type}`,
      occurredAt: new Date(e.occurredAt),
      payload: clean,
      dedupeKey: timelineKey(ctx.row.dedupeKey, ctx.index),
      inboxId: ctx.row.id,
    });
  }
}

/** The identities an event names, as the applier will resolve them (the payer's openid goes its own way). */
function namedIdentities(e: NormalizedEvent): IdentityRef[] {
  switch (e.kind) {
    case 'identity.observed':
      return e.identities;
    case 'subscription.changed':
      return [{ type: 'oa_openid', scope: e.account, value: e.openid }];
    case 'follow.added':
    case 'follow.edited':
    case 'follow.removed':
    case 'follow.transfer_failed':
      return [{ type: 'wecom_external_userid', scope: e.account, value: e.externalUserId }];
    case 'message.received': {
      const type = OPENID_TYPE[e.channel];
      return type ? [{ type, scope: e.account, value: e.openid }] : [];
    }
    case 'behaviour.recorded':
    case 'location.reported':
    case 'consent.observed':
      return [e.subject];
    default:
      return [];
  }
}
