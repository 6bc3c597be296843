import type { CustomerTagSource } from '../entities';
import { type Db, execute, idString, insertIgnore, select, toDbTime } from '../sql';

export interface CustomerTagView {
  id: string;
  name: string;
  source: CustomerTagSource;
  /** The tag group (a WeCom corp tag's group), null when ungrouped. */
  groupName: string | null;
}

/**
 * Sources an operator's unassign removes; a `rule` row belongs to its segment and goes when the customer leaves it.
 * A `channel` row was given once, on arrival, so an operator may take it back.
 */
export const OPERATOR_SOURCES: readonly CustomerTagSource[] = ['manual', 'staff', 'wechat', 'channel'];

export async function tagsOfCustomer(db: Db, customerId: string): Promise<CustomerTagView[]> {
  const rows = await select(
    db,
    `SELECT t.id, t.name, ct.source, g.name AS group_name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id LEFT JOIN tag_groups g ON g.id = t.group_id
      WHERE ct.customer_id = ? AND t.deleted_at IS NULL ORDER BY t.name, ct.source`,
    [customerId],
  );
  return rows.map((r) => ({
    id: idString(r.id),
    name: String(r.name),
    source: r.source as CustomerTagSource,
    groupName: r.group_name === null || r.group_name === undefined ? null : String(r.group_name),
  }));
}

/** Adds (customer, tag, source) rows; returns how many were new. */
export async function addAssignments(
  db: Db,
  tagId: string,
  customerIds: readonly string[],
  source: CustomerTagSource,
  assignedBy: string | null,
  now: Date,
): Promise<number> {
  const at = toDbTime(now);
  return insertIgnore(
    db,
    'customer_tags',
    customerIds.map((customer_id) => ({ customer_id, tag_id: tagId, source, assigned_by: assignedBy, created_at: at })),
  );
}

/** Deletes the rows of these sources; returns how many went. */
export async function removeAssignments(
  db: Db,
  tagId: string,
  customerIds: readonly string[],
  sources: readonly CustomerTagSource[],
): Promise<number> {
  let removed = 0;
  for (let i = 0; i < customerIds.length; i += 500) {
    const part = customerIds.slice(i, i + 500);
    const r = await execute(
      db,
      `DELETE FROM customer_tags WHERE tag_id = ? AND source IN (${sources.map(() => '?').join(', ')}) AND customer_id IN (${part.map(() => '?').join(', ')})`,
      [tagId, ...sources, ...part],
    );
    removed += r.affected;
  }
  return removed;
}

/** Of these customers, those still carrying the tag from some source. */
export async function stillTagged(db: Db, tagId: string, customerIds: readonly string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < customerIds.length; i += 500) {
    const part = customerIds.slice(i, i + 500);
    const rows = await select(
      db,
      `SELECT COUNT(DISTINCT customer_id) AS n FROM customer_tags WHERE tag_id = ? AND customer_id IN (${part.map(() => '?').join(', ')})`,
      [tagId, ...part],
    );
    n += Number(rows[0]?.n ?? 0);
  }
  return n;
}

/** Deletes every assignment of a tag (the tag leaves the catalog); returns how many went. */
export async function removeAllAssignments(db: Db, tagId: string): Promise<number> {
  return (await execute(db, 'DELETE FROM customer_tags WHERE tag_id = ?', [tagId])).affected;
}

/** How many customers carry the tag, and how many rows each source holds (`GET /tags/:id`). */
export async function assignmentCounts(
  db: Db,
  tagId: string,
): Promise<{ customers: number; bySource: Record<string, number> }> {
  const sources = await select(db, 'SELECT source, COUNT(*) AS n FROM customer_tags WHERE tag_id = ? GROUP BY source', [
    tagId,
  ]);
  const [customers] = await select(db, 'SELECT COUNT(DISTINCT customer_id) AS n FROM customer_tags WHERE tag_id = ?', [
    tagId,
  ]);
  return {
    customers: Number(customers?.n ?? 0),
    bySource: Object.fromEntries(sources.map((r) => [String(r.source), Number(r.n)])),
  };
}

/** How many customers hold the tag from this source. */
export async function countHolders(db: Db, tagId: string, source: CustomerTagSource): Promise<number> {
  const rows = await select(
    db,
    'SELECT COUNT(DISTINCT customer_id) AS n FROM customer_tags WHERE tag_id = ? AND source = ?',
    [tagId, source],
  );
  return Number(rows[0]?.n ?? 0);
}

/** The next page of customers holding the tag from this source after `after`, in id order. */
export async function pageHolders(
  db: Db,
  tagId: string,
  source: CustomerTagSource,
  after: string,
  limit: number,
): Promise<string[]> {
  const rows = await select(
    db,
    `SELECT DISTINCT customer_id FROM customer_tags WHERE tag_id = ? AND source = ? AND customer_id > ? ORDER BY customer_id LIMIT ${Math.trunc(limit)}`,
    [tagId, source, after],
  );
  return rows.map((r) => String(r.customer_id));
}

/** The next page of customers holding the tag from any source after `after`, in id order. */
export async function pageTagged(db: Db, tagId: string, after: string, limit: number): Promise<string[]> {
  const rows = await select(
    db,
    `SELECT DISTINCT customer_id FROM customer_tags WHERE tag_id = ? AND customer_id > ? ORDER BY customer_id LIMIT ${Math.trunc(limit)}`,
    [tagId, after],
  );
  return rows.map((r) => String(r.customer_id));
}

/** The tags a customer holds from a segment (`rule` rows). */
export async function ruleTagsOf(db: Db, customerId: string): Promise<Set<string>> {
  const rows = await select(db, "SELECT tag_id FROM customer_tags WHERE customer_id = ? AND source = 'rule'", [
    customerId,
  ]);
  return new Set(rows.map((r) => idString(r.tag_id)));
}

/** The tags a customer holds from any of these sources, in id order. */
export async function tagIdsFrom(db: Db, customerId: string, sources: readonly CustomerTagSource[]): Promise<string[]> {
  const rows = await select(
    db,
    `SELECT DISTINCT tag_id FROM customer_tags WHERE customer_id = ? AND source IN (${sources.map(() => '?').join(', ')}) ORDER BY tag_id`,
    [customerId, ...sources],
  );
  return rows.map((r) => idString(r.tag_id));
}

/** Of these customers, those carrying the tag from some source. */
export async function taggedAmong(db: Db, tagId: string, customerIds: readonly string[]): Promise<Set<string>> {
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

/** The customer's tags that are bound to this account (the tags a new relation or subscriber should get). */
/** Tag id → those of these customers carrying it, of the tags bound to the channel account (one statement). */
export async function boundTagsOfCustomers(
  db: Db,
  channel: 'oa' | 'wecom',
  account: string,
  customerIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (customerIds.length === 0) return out;
  const rows = await select(
    db,
    `SELECT DISTINCT ct.tag_id, ct.customer_id FROM customer_tags ct JOIN tag_bindings b ON b.tag_id = ct.tag_id AND b.channel = ? AND b.account = ? WHERE ct.customer_id IN (${customerIds.map(() => '?').join(', ')})`,
    [channel, account, ...customerIds],
  );
  for (const r of rows) {
    const tagId = idString(r.tag_id);
    const list = out.get(tagId);
    if (list) list.push(String(r.customer_id));
    else out.set(tagId, [String(r.customer_id)]);
  }
  return out;
}

/** The live tags of each of these customers (one statement for a page of customers), by name then source. */
export async function tagsOfCustomers(
  db: Db,
  customerIds: readonly string[],
): Promise<Map<string, { id: string; name: string; source: string; groupName: string | null }[]>> {
  const out = new Map<string, { id: string; name: string; source: string; groupName: string | null }[]>();
  if (customerIds.length === 0) return out;
  const rows = await select<{
    customer_id: string;
    id: unknown;
    name: string;
    source: string;
    group_name: string | null;
  }>(
    db,
    `SELECT ct.customer_id, t.id, t.name, ct.source, g.name AS group_name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
      LEFT JOIN tag_groups g ON g.id = t.group_id
      WHERE ct.customer_id IN (${customerIds.map(() => '?').join(', ')}) AND t.deleted_at IS NULL ORDER BY t.name, ct.source`,
    [...customerIds],
  );
  for (const r of rows)
    out.set(r.customer_id, [
      ...(out.get(r.customer_id) ?? []),
      { id: idString(r.id), name: r.name, source: r.source, groupName: r.group_name ?? null },
    ]);
  return out;
}

/** Of these customers, those holding the tag from one of these sources. */
export async function holdersAmong(
  db: Db,
  tagId: string,
  sources: readonly CustomerTagSource[],
  customerIds: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < customerIds.length; i += 500) {
    const part = customerIds.slice(i, i + 500);
    const rows = await select(
      db,
      `SELECT DISTINCT customer_id FROM customer_tags WHERE tag_id = ? AND source IN (${sources.map(() => '?').join(', ')}) AND customer_id IN (${part.map(() => '?').join(', ')})`,
      [tagId, ...sources, ...part],
    );
    for (const r of rows) out.add(String(r.customer_id));
  }
  return out;
}
