import { type Db, idString, select } from '../../storage/sql';
import { bindingsOfTags, type BindingRecord } from '../../storage/tags/binding.repository';
import { needsAdd, needsRemove, oaTargetsOfCustomers } from './oa-targets';
import { insertOutboxRows, pendingKeys, pendingOfKey, topUp } from './outbox.repository';
import { OA_BATCH, oaOpKey, wecomOpKey, type OaOp } from './outbox-types';
import { statesOf } from './remote-state.repository';
import { fanoutTargets, relationSubject, relationsOfCustomers, type Relation } from './wecom-relations';

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
      const rows = await select(
        db,
        'SELECT subject FROM remote_tag_state WHERE channel = ? AND account = ? AND remote_tag_id = ? AND present = 1',
        [b.channel, b.account, b.remoteTagId],
      );
      const subjects = rows.map((r) => String(r.subject));
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
    const rows = await select(
      db,
      `SELECT r.channel, r.account, r.subject, b.tag_id FROM remote_tag_state r
        JOIN tag_bindings b ON b.channel = r.channel AND b.account = r.account AND b.remote_tag_id = r.remote_tag_id
        WHERE r.customer_id = ? AND r.present = 1`,
      [customerId],
    );
    for (const r of rows) {
      const account = String(r.account);
      if (r.channel === 'oa')
        counts.oaRemoves += await this.appendOa(db, account, String(r.tag_id), 'remove', [String(r.subject)], now);
      else counts.wecomRelations += await this.ensureWecomRows(db, account, [splitSubject(String(r.subject))], now);
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
    const marks = customerIds.map(() => '?').join(', ');
    const rows = await select(
      db,
      `SELECT tag_id FROM customer_tags WHERE customer_id IN (${marks})
       UNION SELECT b.tag_id FROM remote_tag_state r
        JOIN tag_bindings b ON b.channel = r.channel AND b.account = r.account AND b.remote_tag_id = r.remote_tag_id
        WHERE r.customer_id IN (${marks}) AND r.present = 1`,
      [...customerIds, ...customerIds],
    );
    for (const tagId of new Set(rows.map((r) => idString(r.tag_id)))) {
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
    const desired = await customersWithTag(db, b.tagId, [
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

async function customersWithTag(db: Db, tagId: string, customerIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < customerIds.length; i += 500) {
    const part = customerIds.slice(i, i + 500);
    const rows = await select(
      db,
      `SELECT DISTINCT customer_id FROM customer_tags WHERE tag_id = ? AND customer_id IN (${part.map(() => '?').join(', ')})`,
      [tagId, ...part],
    );
    for (const r of rows) out.add(String(r.customer_id));
  }
  return out;
}
