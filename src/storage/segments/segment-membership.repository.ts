import { type Db, select } from '../sql';
import { type CompiledRule, ruleSource } from './rule-compiler';
import type { FactSql } from './rule-facts';
import { MARKETING_ALLOWED } from '../consents/consent.repository';

/**
 * Who a segment's rule selects (DESIGN §5): the rule is compiled SQL over the customer alias `c`
 * (rule-compiler.ts); these reads run it over the customers and their `rule` assignments.
 */

export async function countCustomers(db: Db): Promise<number> {
  return Number((await select(db, 'SELECT COUNT(*) AS n FROM customers'))[0]?.n ?? 0);
}

/** How many active customers the rule matches, and the first `sampleSize` of them in id order. */
export async function matchingSample(
  db: Db,
  rule: CompiledRule,
  sampleSize: number,
): Promise<{ count: number; sample: { id: string; displayName: string | null }[] }> {
  const where = `c.status = 'active' AND ${rule.sql}`;
  const limit = Math.trunc(sampleSize);
  // A driving set is read once and each of its customers found by primary key: no scan of every customer.
  const { from, params } = ruleSource(rule);
  const counted = async () =>
    Number((await select(db, `SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`, params))[0]?.n ?? 0);
  if (limit < 1) return { count: await counted(), sample: [] };
  const toSample = (rows: Record<string, unknown>[]) =>
    rows.map((r) => ({ id: String(r.id), displayName: (r.display_name as string | null) ?? null }));
  if (rule.onlyCustomerColumns) {
    // A scan of the customer rows alone: the sample stops at its first matches in id order and costs at most the
    // count again, where the one pass below would hold every match in a temporary table for its window count.
    const count = await counted();
    const sample = await select(
      db,
      `SELECT c.id, c.display_name FROM ${from} WHERE ${where} ORDER BY c.id LIMIT ${limit}`,
      params,
    );
    return { count, sample: toSample(sample) };
  }
  // One pass for both: the window count sees every matching row before the LIMIT, so a rule that reads other tables
  // is evaluated once, not once for the count and again for a sample that may have to walk every customer to find
  // rare matches (MySQL 8, MariaDB 10.2, SQLite 3.25).
  const rows = await select(
    db,
    `SELECT c.id, c.display_name, COUNT(*) OVER () AS n FROM ${from} WHERE ${where} ORDER BY c.id LIMIT ${limit}`,
    params,
  );
  return { count: Number(rows[0]?.n ?? 0), sample: toSample(rows) };
}

/** The next window of customer ids after `after`, in primary-key order. */
export async function customerWindow(db: Db, after: string, size: number): Promise<string[]> {
  const rows = await select(db, `SELECT id FROM customers WHERE id > ? ORDER BY id LIMIT ${Math.trunc(size)}`, [after]);
  return rows.map((r) => String(r.id));
}

/**
 * Within (lo, hi]: customers the rule now matches without a `rule` row, and `rule` rows of customers it no longer
 * matches. A customer who withdrew the marketing consent is never added and leaves (DESIGN §12).
 */
export async function membershipChanges(
  db: Db,
  tagId: string,
  rule: CompiledRule,
  lo: string,
  hi: string,
): Promise<{ added: string[]; left: string[] }> {
  const added = await select(
    db,
    `SELECT c.id FROM customers c WHERE c.id > ? AND c.id <= ? AND c.status = 'active' AND ${rule.sql} AND ${MARKETING_ALLOWED}
      AND NOT EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag_id = ? AND ct.source = 'rule')`,
    [lo, hi, ...rule.params, tagId],
  );
  const left = await select(
    db,
    `SELECT r.customer_id FROM customer_tags r WHERE r.tag_id = ? AND r.source = 'rule' AND r.customer_id > ? AND r.customer_id <= ?
      AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = r.customer_id AND c.status = 'active' AND ${rule.sql} AND ${MARKETING_ALLOWED})`,
    [tagId, lo, hi, ...rule.params],
  );
  return { added: added.map((r) => String(r.id)), left: left.map((r) => String(r.customer_id)) };
}

/**
 * One statement over the customer's row: whether it is active, and the value of each part's columns, in order
 * (verdicts and facts of every condition, or every segment's verdict, in one round trip); undefined when no such
 * customer.
 */
export async function readCustomerFacts(
  db: Db,
  id: string,
  parts: readonly FactSql[],
): Promise<{ active: boolean; values: unknown[][] } | undefined> {
  const columns = ['c.status AS status'];
  parts.forEach((part, i) => part.columns.forEach((sql, j) => columns.push(`${sql} AS v${i}_${j}`)));
  const [row] = await select(db, `SELECT ${columns.join(', ')} FROM customers c WHERE c.id = ?`, [
    ...parts.flatMap((part) => part.params),
    id,
  ]);
  if (!row) return undefined;
  return {
    active: row.status === 'active',
    values: parts.map((part, i) => part.columns.map((_, j) => row[`v${i}_${j}`])),
  };
}

/** Whether the customer holds the tag from a segment (a `rule` row). */
export async function holdsRuleTag(db: Db, customerId: string, tagId: string): Promise<boolean> {
  const rows = await select(
    db,
    "SELECT 1 AS x FROM customer_tags WHERE customer_id = ? AND tag_id = ? AND source = 'rule'",
    [customerId, tagId],
  );
  return rows.length > 0;
}
