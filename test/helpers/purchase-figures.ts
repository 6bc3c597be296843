import { isPurchase } from '../../src/storage/customers/purchase-figures.repository';
import { type Db, fromDbTime, select } from '../../src/storage/sql';

export interface Figures {
  orders: number;
  spentFen: number;
  lastPurchaseAt: string | null;
}

/** The figures kept on the customer row. */
export async function figuresOf(db: Db, customerId: string): Promise<Figures> {
  const [r] = await select(
    db,
    'SELECT purchase_orders, purchase_spent_fen, last_purchase_at FROM customers WHERE id = ?',
    [customerId],
  );
  return {
    orders: Number(r!.purchase_orders),
    spentFen: Number(r!.purchase_spent_fen),
    lastPurchaseAt: fromDbTime(r!.last_purchase_at)?.toISOString() ?? null,
  };
}

/** Customers whose kept figures differ from their transactions counted now: none, when every writer kept them. */
export async function figuresDisagreeing(db: Db): Promise<string[]> {
  const rows = await select<{ id: string }>(
    db,
    `SELECT c.id FROM customers c LEFT JOIN (
        SELECT t.customer_id, COUNT(*) AS n, SUM(t.amount_total - t.refunded_total) AS spent, MAX(t.success_time) AS last_at
          FROM transactions t WHERE t.customer_id IS NOT NULL AND ${isPurchase('t')} GROUP BY t.customer_id
      ) p ON p.customer_id = c.id
      WHERE c.purchase_orders <> COALESCE(p.n, 0) OR c.purchase_spent_fen <> COALESCE(p.spent, 0)
        OR (c.last_purchase_at IS NULL) <> (p.last_at IS NULL) OR c.last_purchase_at <> p.last_at
      ORDER BY c.id`,
  );
  return rows.map((r) => r.id);
}
