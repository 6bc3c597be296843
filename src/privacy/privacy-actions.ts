import { refreshPurchaseFigures } from '../storage/customers/purchase-figures.repository';
import type { IdentityRef } from '../../connectors/common/identity-types';
import type { PrivacyNotice } from '../../connectors/common/normalized-event';
import { eventKeyPrefixOf } from '../../connectors/common/push-mapping';
import type { SiyuConfig } from '../../config';
import type { DataSource, EntityManager } from '../storage';
import { AuditLogWriter } from '../audit/audit-log.writer';
import { ErasureService } from '../customers/erasure.service';
import { timelineKey, writeTimeline } from '../events/timeline.writer';
import { IdentityHasher } from '../security/identity-hash';
import { survivorOf } from '../storage/customers/customer.repository';
import { insertTombstones } from '../storage/customers/erasure.repository';
import { findIdentities } from '../storage/identity/identity.repository';
import { deleteInboxRows, inboxIdsByKeyPrefix } from '../storage/inbox/inbox-retention.repository';
import {
  clearPhone,
  clearProfile,
  deleteAccountEvents,
  deleteIdentityWithLinks,
  deleteOpenidTraces,
  identityCount,
  inboxIdsOfAccount,
  phoneIdentityFrom,
} from '../storage/privacy/privacy-removal.repository';
import { deleteRefreshesOf } from '../storage/syncs/refresh-queue.repository';
import { grantData, type GrantData } from './revoke-grants';

/** Who the audit log and timeline name for what WeChat's privacy events did. */
export const WECHAT_ACTOR = { name: 'wechat', role: 'wechat' } as const;

const PREFIX: Record<string, string> = { 'official-account': 'oa', 'mini-program': 'mp' };

/** Sources of phone links a Mini Program's phone grant gave (the verified phone number API). */
const PHONE_SOURCES = ['mp.phone'];

export interface PrivacyContext {
  em: EntityManager;
  now: Date;
  inboxKey: string;
  index: number;
}

/**
 * WeChat's privacy events acted on (DESIGN §12), inside the inbox row's transaction:
 * - `user_authorization_revoke` removes what the named grant gave through that app (revoke-grants.ts); 301
 *   unlinks the identity;
 * - `user_authorization_cancellation` unlinks the identity (`privacy.onCancellation: unlink`), or erases the whole
 *   person when it was their last identity (`erase`);
 * - `user_info_modified` clears the stored nickname and avatar.
 * Unlinking removes the identity with a tombstone (a replayed callback cannot bring it back), the timeline, OA
 * subscription, WeChat tag state and raw callbacks that came through that app, and the payer on its payments.
 * Each is audited as done by `wechat` and leaves a timeline entry that names what went, not the values.
 */
export class PrivacyActions {
  private readonly hasher: IdentityHasher;
  private readonly erasure: ErasureService;

  constructor(
    ds: DataSource,
    private readonly config: SiyuConfig,
  ) {
    this.hasher = new IdentityHasher(config.security.dataKey);
    this.erasure = new ErasureService(ds, {
      dataKey: config.security.dataKey,
      wecomFanout: config.tags.wecomFanout,
    });
  }

  async apply(ctx: PrivacyContext, e: PrivacyNotice): Promise<void> {
    const found = await findIdentities(ctx.em, e.subjects, true);
    const customer = found[0] ? await survivorOf(ctx.em, found[0].customerId) : undefined;
    const grant: GrantData | undefined = e.action === 'revoke' ? grantData(e.revokeInfo) : undefined;
    const removed: Record<string, number> = {};
    let erased = false;

    if (customer && customer.status === 'active') {
      const cid = customer.id;
      const unlink = e.action === 'cancellation' || grant === 'identity';
      if (unlink) {
        for (const identity of found) await this.unlink(ctx, cid, identity, removed);
        if (
          e.action === 'cancellation' &&
          this.config.privacy.onCancellation === 'erase' &&
          (await identityCount(ctx.em, cid)) === 0
        ) {
          erased = (await this.erasure.eraseWithin(ctx.em, cid, WECHAT_ACTOR)) !== undefined;
        }
      } else if (e.action === 'info_modified' || grant === 'profile') {
        removed.profile = await clearProfile(ctx.em, cid, ctx.now);
      } else if (grant === 'phone') {
        const phone = await phoneIdentityFrom(ctx.em, cid, PHONE_SOURCES);
        if (phone) {
          await deleteIdentityWithLinks(ctx.em, phone);
          await clearPhone(ctx.em, cid, ctx.now);
          removed.phone = 1;
        }
      } else if (grant === 'location') {
        removed.events = await deleteAccountEvents(ctx.em, cid, e.account, [`${PREFIX[e.channel]}.location`]);
      }
      if (!erased) await this.timeline(ctx, e, cid, grant, removed);
    }

    await new AuditLogWriter(ctx.em).write(
      {
        actor: WECHAT_ACTOR.name,
        role: WECHAT_ACTOR.role,
        action: `privacy.${e.action}`,
        targetType: 'customer',
        targetId: customer?.id ?? null,
        details: {
          channel: e.channel,
          account: e.account,
          ...(e.revokeInfo !== undefined ? { revokeInfo: e.revokeInfo, grant } : {}),
          ...(e.action === 'cancellation' ? { onCancellation: this.config.privacy.onCancellation } : {}),
          known: customer !== undefined,
          erased,
          removed,
        },
      },
      ctx.em,
    );
  }

  /** Removes one identity and what came through it, with a tombstone; adds what went to `counts`. */
  private async unlink(
    ctx: PrivacyContext,
    customerId: string,
    identity: IdentityRef & { id: string },
    counts: Record<string, number>,
  ): Promise<void> {
    const add = (k: string, n: number) => (counts[k] = (counts[k] ?? 0) + n);
    await insertTombstones(ctx.em, [{ hash: this.hasher.hash(identity), type: identity.type, customerId }], ctx.now);
    const inboxIds = new Set(await inboxIdsOfAccount(ctx.em, customerId, identity.scope, identity.id));
    const prefix = eventKeyPrefixOf(identity.type, identity.scope, identity.value);
    if (prefix) for (const id of await inboxIdsByKeyPrefix(ctx.em, [prefix])) inboxIds.add(id);
    add('events', await deleteAccountEvents(ctx.em, customerId, identity.scope));
    add('channelRows', await deleteOpenidTraces(ctx.em, identity.scope, identity.value));
    await refreshPurchaseFigures(ctx.em, [customerId]);
    await deleteRefreshesOf(ctx.em, [{ account: identity.scope, subject: identity.value }]);
    await deleteIdentityWithLinks(ctx.em, identity.id);
    add('identities', 1);
    add('inboxRows', await deleteInboxRows(ctx.em, [...inboxIds]));
  }

  private async timeline(
    ctx: PrivacyContext,
    e: PrivacyNotice,
    customerId: string,
    grant: GrantData | undefined,
    removed: Record<string, number>,
  ): Promise<void> {
    const prefix = PREFIX[e.channel] ?? e.channel;
    await writeTimeline(ctx.em, {
      customerId,
      source: e.channel,
      account: e.account,
      type: `${prefix}.privacy.${e.action}`,
      occurredAt: new Date(e.occurredAt),
      payload: {
        ...(e.revokeInfo !== undefined ? { revokeInfo: e.revokeInfo, grant } : {}),
        ...(e.action === 'cancellation' ? { onCancellation: this.config.privacy.onCancellation } : {}),
        removed,
      },
      dedupeKey: timelineKey(ctx.inboxKey, ctx.index),
      // The row itself may be among the raw callbacks just removed.
      inboxId: null,
    });
  }
}
