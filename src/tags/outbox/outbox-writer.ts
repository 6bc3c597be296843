import type { Db } from '../../storage/sql';
import { taggedAmong } from '../../storage/tags/customer-tag.repository';
import { bindingsOfTags, type BindingRecord } from '../../storage/tags/binding.repository';
import { needsAdd, needsRemove, oaTargetsOfCustomers } from '../../storage/tags/oa-targets.repository';
import { insertOutboxRows, pendingKeys, pendingOfKey, topUp } from '../../storage/tags/outbox.repository';
import { OA_BATCH, oaOpKey, wecomOpKey, type OaOp } from './outbox-types';
import {
  boundMarksOfCustomer,
  holdersOfRemoteTag,
  statesOf,
  tagsCarriedOrHeld,
} from '../../storage/tags/remote-tag-state.repository';
import {
  fanoutTargets,
  relationSubject,
  relationsOfCustomers,
  type Relation,
} from '../../storage/tags/wecom-relations.repository';

export interface EnqueueCounts {
  /** openids queued for batchtagging / batchuntagging. */
  oaAdds: number;
  oaRemoves: number;
  /** WeCom relations queued for mark_tag (new rows; relations already queued are not counted again). */
  wecomRelations: number;
}

const zero = (): EnqueueCounts => ({ oaAdds: 0, oaRemoves: 0, wecomRelations: 0 });

/**
 * Turns desired-state changes into outbox rows (DESIGN §5): after `customer_tags` changed for a tag and some
 * customers, compares the desired state with what WeChat is known to hold and queues only the difference. Run
 * it in the transaction that changed `customer_tags` so the rows commit together. The pusher re-checks every
 * item against the state of the moment before calling WeChat, so a row that lost a race pushes nothing twice.
 */
export class OutboxWriter {
  constructor(private readonly fanout: 'all' | 'newest') {}

  async enqueueCustomers(db: Db, tagId: string, customerIds: readonly string[], now: Date): Promise<EnqueueCounts> {
    const counts = zero();
    if (customerIds.length === 0) return counts;
    for (const b of await bindingsOfTags(db, [tagId])) {
      // A failed binding pushes nothing until an operator saves the tag's bindings again (which resets it).
      if (b.status === 'failed') continue;
      if (b.channel === 'oa') {
        const targets = await oaTargetsOfCustomers(db, tagId, b.account, b.remoteTagId, customerIds);
        counts.oaAdds += await this.appendOa(
          db,
          b.account,
          tagId,
          'add',
          targets.filter(needsAdd).map((t) => t.openid),
          now,
        );
        counts.oaRemoves += await this.appendOa(
          db,
          b.account,
          tagId,
          'remove',
          targets.filter(needsRemove).map((t) => t.openid),
          now,
        );
      } else {
        counts.wecomRelations += await this.enqueueWecomCustomers(db, b, customerIds, now);
      }
    }
    return counts;
  }

  /** Queues removal of the tag from every subject WeChat is known to hold it on (the tag was deleted). */
  async enqueueTagRemoval(db: Db, tagId: string, now: Date): Promise<EnqueueCounts> {
    const counts = zero();
    for (const b of await bindingsOfTags(db, [tagId])) {
      if (!b.remoteTagId || b.status === 'failed') continue;
      const subjects = await holdersOfRemoteTag(db, b.channel, b.account, b.remoteTagId);
      if (b.channel === 'oa') counts.oaRemoves += await this.appendOa(db, b.account, tagId, 'remove', subjects, now);
      else counts.wecomRelations += await this.ensureWecomRows(db, b.account, subjects.map(splitSubject), now);
    }
    return counts;
  }

  /**
   * Before a customer is erased (DESIGN §7): queues removal of every tag WeChat holds on their subjects. Call it
   * in the erasure transaction before identities and follows go; the pusher untags subjects nobody owns any more.
   */
  async enqueueCustomerErasure(db: Db, customerId: string, now: Date): Promise<EnqueueCounts> {
    const counts = zero();
    for (const r of await boundMarksOfCustomer(db, customerId)) {
      if (r.channel === 'oa')
        counts.oaRemoves += await this.appendOa(db, r.account, r.tagId, 'remove', [r.subject], now);
      else counts.wecomRelations += await this.ensureWecomRows(db, r.account, [splitSubject(r.subject)], now);
    }
    return counts;
  }

  /**
   * After rows moved between customers (a merge, or its undo: DESIGN §4): every tag these customers carry or
   * WeChat holds on their subjects is compared again on the subjects each now owns, so a survivor's openids and
   * relations get all its tags (and an undone merge takes back what no longer belongs) without waiting for the
   * sweep. Run it in the transaction that moved the rows, after they moved.
   */
  async enqueueCustomerTags(db: Db, customerIds: readonly string[], now: Date): Promise<EnqueueCounts> {
    const counts = zero();
    if (customerIds.length === 0) return counts;
    for (const tagId of await tagsCarriedOrHeld(db, customerIds)) {
      const c = await this.enqueueCustomers(db, tagId, customerIds, now);
      counts.oaAdds += c.oaAdds;
      counts.oaRemoves += c.oaRemoves;
      counts.wecomRelations += c.wecomRelations;
    }
    return counts;
  }

  /** Queues a mark_tag reconciliation of these relations (relation re-read, drift repair). */
  async enqueueRelations(
    db: Db,
    corpId: string,
    relations: readonly { userid: string; externalUserid: string }[],
    now: Date,
  ): Promise<number> {
    return this.ensureWecomRows(db, corpId, relations, now);
  }

  /** Queues OA openids for one tag (drift repair). */
  async enqueueOpenids(
    db: Db,
    appId: string,
    tagId: string,
    op: OaOp,
    openids: readonly string[],
    now: Date,
  ): Promise<number> {
    return this.appendOa(db, appId, tagId, op, openids, now);
  }

  private async enqueueWecomCustomers(
    db: Db,
    b: BindingRecord,
    customerIds: readonly string[],
    now: Date,
  ): Promise<number> {
    const relations = await relationsOfCustomers(db, b.account, customerIds);
    if (relations.length === 0) return 0;
    const desired = await taggedAmong(db, b.tagId, [
      ...new Set(relations.map((r) => r.customerId).filter((c): c is string => !!c)),
    ]);
    const targets = fanoutTargets(relations, this.fanout);
    const states = b.remoteTagId
      ? await statesOf(db, 'wecom', b.account, relations.map(relationSubject), b.remoteTagId)
      : [];
    const bySubject = new Map(states.map((s) => [s.subject, s]));
    const needed: Relation[] = [];
    for (const r of relations) {
      const state = bySubject.get(relationSubject(r));
      const present = state ? state.present : !!b.remoteTagId && r.reportedTags.includes(b.remoteTagId);
      const wanted = !!r.customerId && desired.has(r.customerId);
      if ((wanted && !present && targets.has(r.id) && !state?.lastErrcode) || (!wanted && present)) needed.push(r);
    }
    return this.ensureWecomRows(db, b.account, needed, now);
  }

  /** One pending mark_tag row per relation: a relation already queued needs nothing more (its lists are computed at push time). */
  private async ensureWecomRows(
    db: Db,
    corpId: string,
    relations: readonly { userid: string; externalUserid: string }[],
    now: Date,
  ): Promise<number> {
    const byKey = new Map(relations.map((r) => [wecomOpKey(corpId, r.userid, r.externalUserid), r]));
    const existing = await pendingKeys(db, [...byKey.keys()]);
    const rows = [...byKey].filter(([key]) => !existing.has(key));
    return insertOutboxRows(
      db,
      rows.map(([opKey, r]) => ({
        channel: 'wecom',
        account: corpId,
        opKey,
        tagId: null,
        payload: { userid: r.userid, externalUserid: r.externalUserid },
      })),
      now,
    );
  }

  /**
   * Adds openids to the pending rows of `oa:<appid>:<tag>:<op>`: openids already queued are skipped, partly
   * filled rows are topped up to 50 (an optimistic compare-and-set on the payload text, so a concurrent writer
   * or a pusher claiming the row never loses an openid), the rest go into new rows of 50.
   */
  private async appendOa(
    db: Db,
    appId: string,
    tagId: string,
    op: OaOp,
    openids: readonly string[],
    now: Date,
  ): Promise<number> {
    if (openids.length === 0) return 0;
    const opKey = oaOpKey(appId, tagId, op);
    const pending = await pendingOfKey(db, opKey);
    const queued = new Set(pending.flatMap((p) => p.payload.openids));
    const fresh = [...new Set(openids)].filter((o) => !queued.has(o));
    const total = fresh.length;
    for (const row of pending) {
      const room = OA_BATCH - row.payload.openids.length;
      if (room <= 0 || fresh.length === 0) continue;
      const take = fresh.slice(0, room);
      if (await topUp(db, row.id, row.text, { ...row.payload, openids: [...row.payload.openids, ...take] }, now))
        fresh.splice(0, take.length);
    }
    const rows = [];
    for (let i = 0; i < fresh.length; i += OA_BATCH) {
      rows.push({
        channel: 'oa' as const,
        account: appId,
        opKey,
        tagId,
        payload: { op, openids: fresh.slice(i, i + OA_BATCH) },
      });
    }
    await insertOutboxRows(db, rows, now);
    return total;
  }
}

export function splitSubject(subject: string): { userid: string; externalUserid: string } {
  const i = subject.indexOf('|');
  return { userid: subject.slice(0, i), externalUserid: subject.slice(i + 1) };
}
