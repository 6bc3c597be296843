import { type Db, type Row, fromDbTime, fromJsonText, idString, select } from '../sql';
import { dialectFor } from '../dialect';

/**
 * Pins the index of a lookup by a list of customer ids: without statistics both planners prefer the prefix of
 * another index and scan a whole app's or corp's rows for every chunk (the dialect's `indexHint`).
 */
const customerIndexHint = (db: Db, index: string): string => dialectFor(db).indexHint(index);

/** A live WeCom follow relation (staff ↔ external contact) with the corp tag ids WeChat last reported on it. */
export interface Relation {
  id: string;
  userid: string;
  externalUserid: string;
  customerId: string | null;
  createdTime: Date | null;
  reportedTags: string[];
}

const COLUMNS = 'id, staff_userid, external_userid, customer_id, created_time, tags';

function toRelation(r: Row): Relation {
  const tags = fromJsonText<unknown>(r.tags);
  return {
    id: idString(r.id),
    userid: String(r.staff_userid),
    externalUserid: String(r.external_userid),
    customerId: (r.customer_id as string | null) ?? null,
    createdTime: fromDbTime(r.created_time),
    reportedTags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [],
  };
}

export const relationSubject = (r: { userid: string; externalUserid: string }): string =>
  `${r.userid}|${r.externalUserid}`;

async function chunked(db: Db, where: string, corpId: string, keys: readonly string[]): Promise<Relation[]> {
  const out: Relation[] = [];
  const hint = where === 'customer_id' ? customerIndexHint(db, 'idx_wecom_follows_customer') : '';
  for (let i = 0; i < keys.length; i += 500) {
    const part = keys.slice(i, i + 500);
    const rows = await select(
      db,
      `SELECT ${COLUMNS} FROM wecom_follows ${hint} WHERE corp_id = ? AND deleted = 0 AND ${where} IN (${part.map(() => '?').join(', ')})`,
      [corpId, ...part],
    );
    out.push(...rows.map(toRelation));
  }
  return out;
}

export function relationsOfCustomers(db: Db, corpId: string, customerIds: readonly string[]): Promise<Relation[]> {
  return chunked(db, 'customer_id', corpId, customerIds);
}

export function relationsOfExternalUsers(
  db: Db,
  corpId: string,
  externalUserids: readonly string[],
): Promise<Relation[]> {
  return chunked(db, 'external_userid', corpId, externalUserids);
}

/** One page (id order) of a corp's live relations on which WeChat last reported some corp tag. */
export async function relationsReportingTags(
  db: Db,
  corpId: string,
  afterId: string,
  limit: number,
): Promise<Relation[]> {
  const rows = await select(
    db,
    `SELECT ${COLUMNS} FROM wecom_follows WHERE corp_id = ? AND deleted = 0 AND id > ? AND tags IS NOT NULL AND tags <> '[]' ORDER BY id LIMIT ${Math.trunc(limit)}`,
    [corpId, afterId],
  );
  return rows.map(toRelation);
}

/**
 * Relations a customer-level tag is applied on (DESIGN §5, `tags.wecomFanout`): every live relation (`all`) or
 * only the most recently added one per customer (`newest`; ties → the later row).
 */
export function fanoutTargets(relations: readonly Relation[], fanout: 'all' | 'newest'): Set<string> {
  if (fanout === 'all') return new Set(relations.map((r) => r.id));
  const newest = new Map<string, Relation>();
  for (const r of relations) {
    if (!r.customerId) continue;
    const best = newest.get(r.customerId);
    if (!best || newer(r, best)) newest.set(r.customerId, r);
  }
  return new Set([...newest.values()].map((r) => r.id));
}

function newer(a: Relation, b: Relation): boolean {
  const ta = a.createdTime?.getTime() ?? 0;
  const tb = b.createdTime?.getTime() ?? 0;
  return ta !== tb ? ta > tb : BigInt(a.id) > BigInt(b.id);
}

/** Catalog tags each customer should carry that are bound to this corp: customer id → tag ids. */
export async function desiredWecomTags(
  db: Db,
  corpId: string,
  customerIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (let i = 0; i < customerIds.length; i += 500) {
    const part = customerIds.slice(i, i + 500);
    const rows = await select(
      db,
      `SELECT DISTINCT ct.customer_id, ct.tag_id FROM customer_tags ct
        JOIN tag_bindings b ON b.tag_id = ct.tag_id AND b.channel = 'wecom' AND b.account = ?
        WHERE ct.customer_id IN (${part.map(() => '?').join(', ')})`,
      [corpId, ...part],
    );
    for (const r of rows) {
      const c = String(r.customer_id);
      let set = out.get(c);
      if (!set) out.set(c, (set = new Set()));
      set.add(idString(r.tag_id));
    }
  }
  return out;
}
