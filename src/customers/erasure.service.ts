import type { DataSource } from 'typeorm';
import type { IdentityType } from '../../connectors/common/identity-types';
import { eventKeyPrefixOf } from '../../connectors/common/push-mapping';
import { deleteInboxRows, inboxIdsByKeyPrefix, inboxIdsOfCustomers } from '../storage/inbox/inbox-retention.repository';
import { deleteRefreshesOf } from '../storage/syncs/refresh-queue.repository';
import { IdentityHasher } from '../security/identity-hash';
import { OutboxWriter } from '../tags/outbox/outbox-writer';
import { AuditLogWriter } from '../audit/audit-log.writer';
import { survivorOf } from '../storage/customers/customer.repository';
import { dialectFor } from '../storage/dialect';
import { execute, insertIgnore, select, toDbTime } from '../storage/sql';
import { deleteGroupMembershipsOf } from '../storage/groups/wecom-group.repository';
import type { ErasureResult } from './customers-api.types';

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

  /** Undefined when no such (non-erased) customer exists. */
  async erase(id: string, actor: { name: string; role: string }): Promise<ErasureResult | undefined> {
    return this.ds.transaction(async (em) => {
      const survivor = await survivorOf(em, id);
      if (!survivor || survivor.status === 'erased') return undefined;
      const cid = survivor.id;
      await select(em, `SELECT id FROM customers WHERE id = ?${dialectFor(em).forUpdate}`, [cid]);
      // Customers merged into this one, found through merge_log (indexed by survivor; customers.merged_into_id
      // is not indexed) and confirmed by their current state, so undone merges are left out.
      const merged = (
        await select<{ id: string }>(
          em,
          'SELECT DISTINCT c.id FROM merge_log m JOIN customers c ON c.id = m.merged_id WHERE m.survivor_id = ? AND c.merged_into_id = ?',
          [cid, cid],
        )
      ).map((r) => String(r.id));
      const all = [cid, ...merged];
      const inList = all.map(() => '?').join(', ');
      const now = new Date(this.now());

      await this.outbox.enqueueCustomerErasure(em, cid, now);
      const identities = await select<{ type: string; scope: string; value: string }>(
        em,
        `SELECT type, scope, value FROM identities WHERE customer_id IN (${inList})`,
        all,
      );
      const tombstones = await insertIgnore(
        em,
        'erasure_tombstones',
        identities.map((i) => ({
          identity_hash: this.hasher.hash({
            type: i.type as IdentityType,
            scope: String(i.scope),
            value: String(i.value),
          }),
          identity_type: String(i.type),
          customer_id: cid,
          created_at: toDbTime(now),
        })),
      );
      // Found before the events and links that point at them are deleted.
      const inboxIds = new Set(await inboxIdsOfCustomers(em, all));
      const keyPrefixes = identities.flatMap(
        (i) => eventKeyPrefixOf(i.type as IdentityType, String(i.scope), String(i.value)) ?? [],
      );
      for (const id of await inboxIdsByKeyPrefix(em, keyPrefixes)) inboxIds.add(id);
      const del = async (table: string): Promise<number> =>
        (await execute(em, `DELETE FROM ${table} WHERE customer_id IN (${inList})`, all)).affected;
      const result: ErasureResult = {
        customerId: cid,
        mergedCustomerIds: merged,
        identities: identities.length,
        tombstones,
        events: await del('events'),
        tags: await del('customer_tags'),
        follows: await del('wecom_follows'),
        subscriptions: await del('oa_subscriptions'),
        transactions: (
          await execute(
            em,
            `UPDATE transactions SET customer_id = NULL, payer_openid = NULL WHERE customer_id IN (${inList})`,
            all,
          )
        ).affected,
        inboxRows: await deleteInboxRows(em, [...inboxIds]),
      };
      await execute(em, `UPDATE refunds SET customer_id = NULL WHERE customer_id IN (${inList})`, all);
      await del('customer_channels');
      await del('channel_activity');
      await deleteRefreshesOf(
        em,
        identities
          .filter((i) => i.type !== 'phone' && i.type !== 'unionid')
          .map((i) => ({ account: String(i.scope), subject: String(i.value) })),
      );
      await deleteGroupMembershipsOf(
        em,
        identities
          .filter((i) => i.type === 'wecom_external_userid')
          .map((i) => ({ corpId: String(i.scope), externalUserid: String(i.value) })),
      );
      await del('identity_links');
      await del('identities');
      await execute(
        em,
        `DELETE FROM identity_conflicts WHERE customer_id IN (${inList}) OR other_customer_id IN (${inList})`,
        [...all, ...all],
      );
      await execute(
        em,
        `UPDATE merge_log SET evidence = NULL WHERE survivor_id IN (${inList}) OR merged_id IN (${inList})`,
        [...all, ...all],
      );
      await execute(
        em,
        `UPDATE customers SET status = 'erased', display_name = NULL, avatar_url = NULL, phone_enc = NULL, updated_at = ? WHERE id IN (${inList})`,
        [toDbTime(now), ...all],
      );
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
    });
  }
}
