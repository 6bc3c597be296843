import type { EntityManager } from 'typeorm';
import { AuditLogWriter } from '../../audit/audit-log.writer';
import { type Db, select } from '../../storage/sql';
import { addAssignments, removeAssignments } from '../assignments/customer-tag.repository';
import { bindingsOfAccount } from '../bindings/binding.repository';
import { OutboxWriter } from '../outbox/outbox-writer';
import { recordObserved, statesOf, type RemoteStateWrite } from '../outbox/remote-state.repository';
import { relationSubject } from '../outbox/wecom-relations';

/** One relation as WeChat reports it: the corp tag ids (type 1) a staff member's customer carries. */
export interface ObservedRelation {
  userid: string;
  externalUserid: string;
  corpTagIds: string[];
}

export interface ObservationResult {
  /** Bound tags a staff member added in WeCom, now `wechat` assignments. */
  adopted: number;
  /** Bound tags a staff member removed in WeCom. */
  dropped: number;
}

/**
 * Records what an `edit_external_contact` re-read shows (DESIGN §5): a bound corp tag on the relation that Siyu
 * did not know of was added by the staff member in WeCom and becomes a `wechat` assignment of the customer; a
 * tag Siyu knew was there and is gone was removed by the staff member, so the customer's `wechat`/`staff`
 * assignments of it go (a manual or rule assignment keeps it desired, and the outbox puts it back). A tag Siyu
 * pushed itself and finds again is its own echo and changes nothing. Runs in the transaction of the re-read.
 */
export class RelationObserver {
  /** Fanout `all` queues a superset; the pusher applies `tags.wecomFanout` when it computes each call. */
  private readonly writer = new OutboxWriter('all');

  async observe(em: EntityManager, corpId: string, relations: readonly ObservedRelation[], now: Date): Promise<ObservationResult> {
    const db: Db = em;
    const audit = new AuditLogWriter(em.dataSource);
    const result: ObservationResult = { adopted: 0, dropped: 0 };
    const bindings = (await bindingsOfAccount(db, 'wecom', corpId)).filter((b): b is typeof b & { remoteTagId: string } => b.status === 'bound' && !!b.remoteTagId);
    if (bindings.length === 0 || relations.length === 0) return result;
    const states = await statesOf(db, 'wecom', corpId, relations.map(relationSubject));
    for (const rel of relations) {
      const subject = relationSubject(rel);
      const customerId = await customerOfRelation(db, corpId, rel);
      const writes: (RemoteStateWrite & { drifted: boolean })[] = [];
      for (const b of bindings) {
        const has = rel.corpTagIds.includes(b.remoteTagId);
        const known = states.find((s) => s.subject === subject && s.remoteTagId === b.remoteTagId)?.present ?? false;
        if (has === known) continue;
        writes.push({ subject, remoteTagId: b.remoteTagId, customerId, present: has, drifted: false });
        if (!customerId) continue;
        const actor = `wecom:${rel.userid}`;
        if (has) {
          if ((await addAssignments(db, b.tagId, [customerId], 'wechat', actor, now)) === 0) continue;
          result.adopted++;
          await audit.write({ actor, action: 'customer.tags.add', targetType: 'customer', targetId: customerId, details: { tagId: b.tagId, source: 'wechat', corpId } }, em);
        } else {
          const removed = await removeAssignments(db, b.tagId, [customerId], ['wechat', 'staff']);
          result.dropped++;
          if (removed > 0) await audit.write({ actor, action: 'customer.tags.remove', targetType: 'customer', targetId: customerId, details: { tagId: b.tagId, source: 'wechat', corpId } }, em);
        }
      }
      await recordObserved(db, 'wecom', corpId, writes, now);
      if (customerId) for (const w of writes) await this.writer.enqueueCustomers(db, bindings.find((b) => b.remoteTagId === w.remoteTagId)!.tagId, [customerId], now);
    }
    return result;
  }
}

async function customerOfRelation(db: Db, corpId: string, rel: ObservedRelation): Promise<string | null> {
  const follow = await select(db, 'SELECT customer_id FROM wecom_follows WHERE corp_id = ? AND staff_userid = ? AND external_userid = ?', [corpId, rel.userid, rel.externalUserid]);
  if (follow[0]?.customer_id) return String(follow[0].customer_id);
  const identity = await select(db, "SELECT customer_id FROM identities WHERE type = 'wecom_external_userid' AND scope = ? AND value = ?", [corpId, rel.externalUserid]);
  return identity[0]?.customer_id ? String(identity[0].customer_id) : null;
}
