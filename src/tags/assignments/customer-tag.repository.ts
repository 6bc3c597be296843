import type { CustomerTagSource } from '../../storage/entities';
import { type Db, execute, idString, insertIgnore, select, toDbTime } from '../../storage/sql';

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
