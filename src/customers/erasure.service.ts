import { refreshPurchaseFigures } from '../storage/customers/purchase-figures.repository';
import type { DataSource, EntityManager } from '../storage';
import { eventKeyPrefixOf } from '../../connectors/common/push-mapping';
import { deleteInboxRows, inboxIdsByKeyPrefix, inboxIdsOfCustomers } from '../storage/inbox/inbox-retention.repository';
import { deleteRefreshesOf } from '../storage/syncs/refresh-queue.repository';
import { IdentityHasher } from '../security/identity-hash';
import { OutboxWriter } from '../tags/outbox/outbox-writer';
import { AuditLogWriter } from '../audit/audit-log.writer';
import { findCustomer, survivorOf } from '../storage/customers/customer.repository';
import {
  clearMergeEvidence,
  customersMergedInto,
  deleteConflictsOf,
  deleteRowsOfCustomers,
  detachRefunds,
  detachTransactions,
  insertTombstones,
  markErased,
  type ErasedTable,
} from '../storage/customers/erasure.repository';
import { identitiesOfCustomers } from '../storage/identity/identity.repository';
import { deleteGroupMembershipsOf } from '../storage/groups/wecom-group.repository';
import type { ErasureResult } from './customers-api.types';
import { recordWebhookEvent } from '../webhooks/webhook-event.writer';
import { conflictRetryingTransaction } from '../storage/conflict-retry';

/**
 * `DELETE /api/v1/customers/:id` (DESIGN §7): erases a person in one transaction. Identities become keyed-hash
 * tombstones (a replayed callback carrying any of them is dropped by identity resolution); events, tags, follows,
 * subscriptions and conflicts go; transactions and refunds keep their amounts for the books but lose the payer and
 * the customer; merge_log keeps ids but loses its evidence; the customer row stays as `erased` with no personal
 * fields. Tags WeChat holds are queued for removal first. A merged id erases its survivor (the same person).
 * The person's raw callbacks go too (DESIGN §12): the inbox rows their timeline and identity links came from,
 * and every OA / Mini Program event row keyed by one of their openids, processed or not; and the profile
 * re-reads queued for their openids and external_userids.
 */
export class ErasureService {
  private readonly hasher: IdentityHasher;
  private readonly outbox: OutboxWriter;

  constructor(
    private readonly ds: DataSource,
    deps: { dataKey: Buffer; wecomFanout: 'all' | 'newest'; now?: () => number },
    private readonly now: () => number = deps.now ?? Date.now,
  ) {
    this.hasher = new IdentityHasher(deps.dataKey);
    this.outbox = new OutboxWriter(deps.wecomFanout);
  }

  /**
   * Undefined when no such (non-erased) customer exists. Run again whole on a lock conflict: the inbox processor
   * may be writing the same customer's rows (DESIGN §3).
   */
  async erase(id: string, actor: { name: string; role: string }): Promise<ErasureResult | undefined> {
    return conflictRetryingTransaction(this.ds, { operation: 'customer.erase' }, (em) =>
      this.eraseWithin(em, id, actor),
    );
  }

  /** The erasure inside the caller's transaction (WeChat's account-closure event erases within its inbox row's). */
  async eraseWithin(
    em: EntityManager,
    id: string,
    actor: { name: string; role: string },
  ): Promise<ErasureResult | undefined> {
    const survivor = await survivorOf(em, id);
    if (!survivor || survivor.status === 'erased') return undefined;
    const cid = survivor.id;
    await findCustomer(em, cid, true);
    const merged = await customersMergedInto(em, cid);
    const all = [cid, ...merged];
    const now = new Date(this.now());

    await this.outbox.enqueueCustomerErasure(em, cid, now);
    const identities = await identitiesOfCustomers(em, all);
    const tombstones = await insertTombstones(
      em,
      identities.map((i) => ({ hash: this.hasher.hash(i), type: i.type, customerId: cid })),
      now,
    );
    // Found before the events and links that point at them are deleted.
    const inboxIds = new Set(await inboxIdsOfCustomers(em, all));
    const keyPrefixes = identities.flatMap((i) => eventKeyPrefixOf(i.type, i.scope, i.value) ?? []);
    for (const id of await inboxIdsByKeyPrefix(em, keyPrefixes)) inboxIds.add(id);
    const del = (table: ErasedTable): Promise<number> => deleteRowsOfCustomers(em, table, all);
    const result: ErasureResult = {
      customerId: cid,
      mergedCustomerIds: merged,
      identities: identities.length,
      tombstones,
      events: await del('events'),
      tags: await del('customer_tags'),
      follows: await del('wecom_follows'),
      subscriptions: await del('oa_subscriptions'),
      transactions: await detachTransactions(em, all),
      inboxRows: await deleteInboxRows(em, [...inboxIds]),
    };
    await detachRefunds(em, all);
    await refreshPurchaseFigures(em, all);
    await del('customer_channels');
    await del('channel_activity');
    await del('customer_attributes');
    await del('customer_notes');
    await del('consents');
    await deleteRefreshesOf(
      em,
      identities
        .filter((i) => i.type !== 'phone' && i.type !== 'unionid')
        .map((i) => ({ account: i.scope, subject: i.value })),
    );
    await deleteGroupMembershipsOf(
      em,
      identities
        .filter((i) => i.type === 'wecom_external_userid')
        .map((i) => ({ corpId: i.scope, externalUserid: i.value })),
    );
    await del('identity_links');
    await del('identities');
    await deleteConflictsOf(em, all);
    await clearMergeEvidence(em, all);
    await markErased(em, all, now);
    await recordWebhookEvent(em, 'customer.erased', { customerId: cid, mergedCustomerIds: merged }, now);
    await new AuditLogWriter(this.ds).write(
      {
        actor: actor.name,
        role: actor.role,
        action: 'customer.erase',
        targetType: 'customer',
        targetId: cid,
        details: { ...result },
      },
      em,
    );
    return result;
  }
}
