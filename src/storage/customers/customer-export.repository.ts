import type { CustomerAttributeRow } from '../entities/customer-attribute.entity';
import { toCustomerAttribute } from '../attributes/customer-attribute.repository';
import { type Db, fromDbTime, select } from '../sql';

/** A customer's purchases for the export (DESIGN §5 RFM); money in fen. */
export interface CustomerRfm {
  orders: number;
  paidFen: number;
  refundedFen: number;
  lastPurchaseAt: Date | null;
}

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Purchases of some customers, one grouped query (customers without any are absent). */
export async function rfmOfCustomers(db: Db, ids: readonly string[]): Promise<Map<string, CustomerRfm>> {
  const out = new Map<string, CustomerRfm>();
  if (ids.length === 0) return out;
  const rows = await select(
    db,
    `SELECT customer_id, COUNT(*) AS orders, COALESCE(SUM(amount_total), 0) AS paid, COALESCE(SUM(refunded_total), 0) AS refunded,
      MAX(success_time) AS last_at
      FROM transactions WHERE customer_id IN (${placeholders(ids.length)}) AND state IN ('SUCCESS', 'REFUND') GROUP BY customer_id`,
    [...ids],
  );
  for (const r of rows)
    out.set(String(r.customer_id), {
      orders: Number(r.orders),
      paidFen: Number(r.paid),
      refundedFen: Number(r.refunded),
      lastPurchaseAt: fromDbTime(r.last_at),
    });
  return out;
}

/** Custom field values of some customers. */
export async function attributesOfCustomers(db: Db, ids: readonly string[]): Promise<CustomerAttributeRow[]> {
  if (ids.length === 0) return [];
  const rows = await select(
    db,
    `SELECT id, customer_id, attr_key, value_text, value_num, value_enc, source, updated_by, updated_at
      FROM customer_attributes WHERE customer_id IN (${placeholders(ids.length)})`,
    [...ids],
  );
  return rows.map(toCustomerAttribute);
}
