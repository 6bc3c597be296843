import { dialectFor } from '../dialect';
import { type Db, execute } from '../sql';
import { findCustomers } from './customer.repository';

/**
 * A purchase as RFM counts it (DESIGN §5): a paid trade, refunded ones included, with its success time. The
 * profile's `rfm`, the segment conditions and the per-customer figures below all count these rows.
 */
export const isPurchase = (t: string): string =>
  `${t}.state IN ('SUCCESS', 'REFUND') AND ${t}.success_time IS NOT NULL`;

/** Customers per statement. */
const CHUNK = 300;

/**
 * Recomputes the customers' lifetime purchase figures (`customers.purchase_orders`, `purchase_spent_fen` net of
 * refunds, `last_purchase_at`) from their transactions, in the caller's transaction, after it wrote them: a segment
 * then tests three columns instead of reading every purchase (DESIGN §9: preview at a million customers).
 *
 * The rows are locked first and only then counted: two writers adding purchases of one person each count after
 * the other's commit, never from a snapshot taken before it. (On Galera both write the customer row, so the later
 * commit fails certification and is retried: the lock there is only a local ordering.)
 */
export async function refreshPurchaseFigures(db: Db, customerIds: readonly (string | null | undefined)[]) {
  const ids = [...new Set(customerIds.filter((id): id is string => !!id))].sort();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    await findCustomers(db, part, true);
    const { sql, params } = figuresUpdate(db, part);
    await execute(db, sql, params);
  }
}

/** Recomputes every customer's figures (the migration that adds them, and seeded bench worlds). */
export async function rebuildPurchaseFigures(db: Db): Promise<void> {
  const { sql, params } = figuresUpdate(db, undefined);
  await execute(db, sql, params);
}

/** The UPDATE of these customers' figures, or of everyone's, with its parameters. */
function figuresUpdate(db: Db, ids: readonly string[] | undefined): { sql: string; params: string[] } {
  const among = ids && `IN (${ids.map(() => '?').join(', ')})`;
  if (dialectFor(db).family === 'mysql')
    // One grouped read of the customers' purchases joined back; MySQL has no row-value SET.
    return {
      sql: `UPDATE customers c LEFT JOIN (
        SELECT t.customer_id, COUNT(*) AS n, SUM(t.amount_total - t.refunded_total) AS spent, MAX(t.success_time) AS last_at
          FROM transactions t WHERE ${among ? `t.customer_id ${among}` : 't.customer_id IS NOT NULL'} AND ${isPurchase('t')}
          GROUP BY t.customer_id
      ) p ON p.customer_id = c.id
      SET c.purchase_orders = COALESCE(p.n, 0), c.purchase_spent_fen = COALESCE(p.spent, 0), c.last_purchase_at = p.last_at
      ${among ? `WHERE c.id ${among}` : ''}`,
      params: ids ? [...ids, ...ids] : [],
    };
  return {
    sql: `UPDATE customers SET (purchase_orders, purchase_spent_fen, last_purchase_at) = (
      SELECT COUNT(*), COALESCE(SUM(t.amount_total - t.refunded_total), 0), MAX(t.success_time)
        FROM transactions t WHERE t.customer_id = customers.id AND ${isPurchase('t')}
    )${among ? ` WHERE id ${among}` : ''}`,
    params: ids ? [...ids] : [],
  };
}
