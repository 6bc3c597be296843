import { type Db, execute, insertIgnore, select, toDbTime, upsert } from '../sql';
import type { StoredValue } from '../attributes/customer-attribute.repository';

/** An order from another system (DESIGN §11): kept in `transactions` with its source, keyed by (source, orderNo). */
export interface ImportedOrder {
  source: string;
  orderNo: string;
  customerId: string | null;
  amountFen: number;
  refundedFen: number;
  paidAt: Date;
}

/**
 * Inserts the orders not stored yet (the unique (mch_id, out_trade_no) with mch_id = the source id); returns the
 * order numbers it inserted. A refunded order is in state REFUND, as Pay's are, so RFM counts it the same way.
 */
export async function insertImportedOrders(db: Db, orders: readonly ImportedOrder[], now: Date): Promise<number> {
  if (orders.length === 0) return 0;
  const at = toDbTime(now);
  return insertIgnore(
    db,
    'transactions',
    orders.map((o) => ({
      mch_id: o.source,
      out_trade_no: o.orderNo,
      source: o.source,
      amount_total: o.amountFen,
      currency: 'CNY',
      state: o.refundedFen > 0 ? 'REFUND' : 'SUCCESS',
      customer_id: o.customerId,
      success_time: toDbTime(o.paidAt),
      refunded_total: o.refundedFen,
      created_at: at,
      updated_at: at,
    })),
  );
}

/** Which of these order numbers a source already has. */
export async function storedOrderNos(db: Db, source: string, orderNos: readonly string[]): Promise<Set<string>> {
  if (orderNos.length === 0) return new Set();
  const rows = await select<{ out_trade_no: string }>(
    db,
    `SELECT out_trade_no FROM transactions WHERE mch_id = ? AND out_trade_no IN (${orderNos.map(() => '?').join(', ')})`,
    [source, ...orderNos],
  );
  return new Set(rows.map((r) => r.out_trade_no));
}

/** An attribute value another system gave (source `import` or `api`). */
export type ImportedValue = StoredValue & { customerId: string; key: string };

/** Sets the values (insert or replace), many per statement. */
export async function setImportedValues(
  db: Db,
  values: readonly ImportedValue[],
  by: { source: 'import' | 'api'; updatedBy: string },
  now: Date,
): Promise<void> {
  if (values.length === 0) return;
  const at = toDbTime(now);
  await upsert(
    db,
    'customer_attributes',
    values.map((v) => ({
      customer_id: v.customerId,
      attr_key: v.key,
      value_text: v.valueText,
      value_num: v.valueNum,
      value_enc: v.valueEnc,
      source: by.source,
      updated_by: by.updatedBy,
      updated_at: at,
    })),
    {
      conflict: ['customer_id', 'attr_key'],
      update: ['value_text', 'value_num', 'value_enc', 'source', 'updated_by', 'updated_at'],
    },
  );
}

/**
 * An unverified phone (DESIGN §11) is kept as the customer's phone only where the customer has none: one UPDATE
 * per few hundred customers (a CASE over their ids).
 */
export async function setPhoneWhereNone(
  db: Db,
  phones: readonly { customerId: string; phoneEnc: string }[],
  now: Date,
): Promise<void> {
  const latest = new Map(phones.map((p) => [p.customerId, p.phoneEnc]));
  const all = [...latest];
  for (let i = 0; i < all.length; i += 500) {
    const part = all.slice(i, i + 500);
    await execute(
      db,
      `UPDATE customers SET phone_enc = CASE id ${part.map(() => 'WHEN ? THEN ?').join(' ')} END, updated_at = ?
        WHERE id IN (${part.map(() => '?').join(', ')}) AND phone_enc IS NULL`,
      [...part.flat(), toDbTime(now), ...part.map(([id]) => id)],
    );
  }
}
