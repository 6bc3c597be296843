import type { EntityManager } from '../../storage';
import { AuditLogWriter } from '../../audit/audit-log.writer';
import type { Db } from '../../storage/sql';
import { customerOfFollow } from '../../storage/events/wecom-follow.repository';
import { findIdentities } from '../../storage/identity/identity.repository';
import { addAssignments, removeAssignments } from '../../storage/tags/customer-tag.repository';
import { bindingsOfAccount } from '../../storage/tags/binding.repository';
import { findTags } from '../../storage/tags/tag.repository';
import { OutboxWriter } from '../outbox/outbox-writer';
import { recordObserved, statesOf, type RemoteStateWrite } from '../../storage/tags/remote-tag-state.repository';
import { desiredWecomTags, relationSubject } from '../../storage/tags/wecom-relations.repository';
import { mayBeOwnAdd, unfinishedPushes } from './relation-pushes';
import { withTagEvents } from '../assignments/tag-webhook-events';

/** One relation as WeChat reports it: the corp tag ids (type 1) a staff member's customer carries. */
export interface ObservedRelation {
  userid: string;
  externalUserid: string;
  corpTagIds: string[];
  /** The relation's customer when the reader already knows it (a sync page); looked up otherwise. */
  customerId?: string | null;
}

export interface ObservationResult {
  /** Bound tags a staff member added in WeCom, now `wechat` assignments. */
  adopted: number;
  /** Bound tags a staff member removed in WeCom. */
  dropped: number;
  /** Corp tag ids on the relations that no binding knows (the library has changed since it was last read). */
  unknownTagIds: string[];
}

/**
 * Records what a relation read shows — the `edit_external_contact` re-read or a contacts sync page (DESIGN §5,
 * §10.4): a bound corp tag on the relation that Siyu does not want there was added by the staff member in WeCom
 * and becomes a `wechat` assignment of the customer; a tag Siyu knew was there and is gone was removed by the
 * staff member, so the customer's `wechat`/`staff` assignments of it go (a manual or rule assignment keeps it
 * desired, and the outbox puts it back). Runs in the transaction that stores the read.
 *
 * Siyu's own pushes must change nothing whatever the timing of the re-read against the push (mark_tag, then
 * the outcome recorded a few hundred ms later):
 * - a tag the customer already carries in the desired state is recorded as present, never a second assignment;
 * - a tag Siyu does not want but may be adding right now (the relation's mark_tag row is in flight, or a failed
 *   attempt tried it) is left alone: the push's own record or the next re-read settles it;
 * - a read taken before Siyu's last recorded push of that tag (`pushed_at` later than the read) is stale for it.
 */
export class RelationObserver {
  /** Fanout `all` queues a superset; the pusher applies `tags.wecomFanout` when it computes each call. */
  private readonly writer = new OutboxWriter('all');

  /** `only`: look at these corp tag ids alone (tags just bound, whose relations were read before). */
  async observe(
    em: EntityManager,
    corpId: string,
    relations: readonly ObservedRelation[],
    now: Date,
    only?: ReadonlySet<string>,
  ): Promise<ObservationResult> {
    const db: Db = em;
    const audit = new AuditLogWriter(em.dataSource);
    const result: ObservationResult = { adopted: 0, dropped: 0, unknownTagIds: [] };
    if (relations.length === 0) return result;
    const all = await bindingsOfAccount(db, 'wecom', corpId);
    const known = new Set(all.map((b) => b.remoteTagId));
    result.unknownTagIds = [...new Set(relations.flatMap((r) => r.corpTagIds))].filter((id) => !known.has(id));
    // A tag an operator deleted keeps its binding while its removal drains: never a new assignment of it.
    const liveTags = new Set((await findTags(db, [...new Set(all.map((b) => b.tagId))])).map((t) => t.id));
    const bindings = all.filter(
      (b): b is typeof b & { remoteTagId: string } =>
        b.status === 'bound' && !!b.remoteTagId && liveTags.has(b.tagId) && (!only || only.has(b.remoteTagId)),
    );
    if (bindings.length === 0) return result;
    const states = await statesOf(db, 'wecom', corpId, relations.map(relationSubject));
    const pushes = await unfinishedPushes(db, corpId, relations);
    const owners: (string | null)[] = [];
    for (const rel of relations)
      owners.push(rel.customerId !== undefined ? rel.customerId : await customerOfRelation(db, corpId, rel));
    const desired = await desiredWecomTags(db, corpId, [...new Set(owners.filter((c): c is string => !!c))]);
    for (const [i, rel] of relations.entries()) {
      const subject = relationSubject(rel);
      const customerId = owners[i] ?? null;
      const writes: (RemoteStateWrite & { drifted: boolean })[] = [];
      for (const b of bindings) {
        const has = rel.corpTagIds.includes(b.remoteTagId);
        const state = states.find((s) => s.subject === subject && s.remoteTagId === b.remoteTagId);
        const known = state?.present ?? false;
        if (has === known) continue;
        if (state?.pushedAt && state.pushedAt.getTime() > now.getTime()) continue;
        const wanted = !!customerId && !!desired.get(customerId)?.has(b.tagId);
        if (has && !wanted && mayBeOwnAdd(pushes.get(subject), b.remoteTagId)) continue;
        writes.push({ subject, remoteTagId: b.remoteTagId, customerId, present: has, drifted: false });
        if (!customerId) continue;
        const actor = `wecom:${rel.userid}`;
        if (has) {
          if (wanted) continue;
          const added = await withTagEvents(db, 'assign', b.tagId, [customerId], ['wechat'], now, () =>
            addAssignments(db, b.tagId, [customerId], 'wechat', actor, now),
          );
          if (added === 0) continue;
          result.adopted++;
          await audit.write(
            {
              actor,
              action: 'customer.tags.add',
              targetType: 'customer',
              targetId: customerId,
              details: { tagId: b.tagId, source: 'wechat', corpId },
            },
            em,
          );
        } else {
          const removed = await withTagEvents(db, 'unassign', b.tagId, [customerId], ['wechat', 'staff'], now, () =>
            removeAssignments(db, b.tagId, [customerId], ['wechat', 'staff']),
          );
          result.dropped++;
          if (removed > 0)
            await audit.write(
              {
                actor,
                action: 'customer.tags.remove',
                targetType: 'customer',
                targetId: customerId,
                details: { tagId: b.tagId, source: 'wechat', corpId },
              },
              em,
            );
        }
      }
      await recordObserved(db, 'wecom', corpId, writes, now);
      if (customerId)
        for (const w of writes)
          await this.writer.enqueueCustomers(
            db,
            bindings.find((b) => b.remoteTagId === w.remoteTagId)!.tagId,
            [customerId],
            now,
          );
    }
    return result;
  }
}

async function customerOfRelation(db: Db, corpId: string, rel: ObservedRelation): Promise<string | null> {
  const follow = await customerOfFollow(db, { corpId, staffUserid: rel.userid, externalUserid: rel.externalUserid });
  if (follow) return follow;
  const [identity] = await findIdentities(db, [
    { type: 'wecom_external_userid', scope: corpId, value: rel.externalUserid },
  ]);
  return identity?.customerId || null;
}
