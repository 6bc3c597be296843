import type { TransactionRow } from '../entities/transaction.entity';
import { dialectFor } from '../dialect';
import { type Db, execute, executeUnlessDuplicate, fromDbTime, idString, select } from '../sql';

export type TradeLock = Pick<TransactionRow, 'id' | 'state' | 'customerId'>;
/** What a success notification says of a trade. */
export type PaidTrade = Pick<
  TransactionRow,
  'appId' | 'transactionId' | 'amountTotal' | 'payerTotal' | 'currency' | 'tradeType' | 'payerOpenid' | 'successTime'
>;

/** The trade's row, locked for the rest of the transaction on MySQL. */
export async function lockTrade(db: Db, mchId: string, outTradeNo: string): Promise<TradeLock | undefined> {
  const [r] = await select<{ id: unknown; state: string; customer_id: string | null }>(
    db,
    `SELECT id, state, customer_id FROM transactions WHERE mch_id = ? AND out_trade_no = ?${dialectFor(db).forUpdate}`,
    [mchId, outTradeNo],
  );
  return r ? { id: idString(r.id), state: r.state, customerId: r.customer_id ?? null } : undefined;
}

/** Inserts a paid trade and returns its id; undefined when another writer created it meanwhile. */
export async function insertPaidTrade(
  db: Db,
  mchId: string,
  outTradeNo: string,
  t: PaidTrade,
  state: string,
  customerId: string | null,
  now: Date,
): Promise<string | undefined> {
  const inserted = await executeUnlessDuplicate(
    db,
    `INSERT INTO transactions (mch_id, out_trade_no, app_id, transaction_id, amount_total, payer_total, currency, trade_type, payer_openid, success_time, state, customer_id, refunded_total, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
    [mchId, outTradeNo, ...paidValues(t), state, customerId, now, now],
  );
  return inserted?.insertId;
}

/** Rewrites a trade from its success notification; a customer already linked stays. */
export async function updatePaidTrade(
  db: Db,
  id: string,
  t: PaidTrade,
  state: string,
  customerId: string | null,
  now: Date,
): Promise<void> {
  await execute(
    db,
    `UPDATE transactions SET app_id = ?, transaction_id = ?, amount_total = ?, payer_total = ?, currency = ?, trade_type = ?, payer_openid = ?, success_time = ?,
       state = ?, customer_id = COALESCE(customer_id, ?), updated_at = ? WHERE id = ?`,
    [...paidValues(t), state, customerId, now, id],
  );
}

/** The trade a refund names before its success notification came: paid, with what the refund carries. */
export async function insertTradeSeenByRefund(
  db: Db,
  mchId: string,
  outTradeNo: string,
  transactionId: string | null,
  amountTotal: number,
  now: Date,
): Promise<void> {
  await executeUnlessDuplicate(
    db,
    `INSERT INTO transactions (mch_id, out_trade_no, transaction_id, amount_total, state, refunded_total, created_at, updated_at) VALUES (?, ?, ?, ?, 'SUCCESS', 0, ?, ?)`,
    [mchId, outTradeNo, transactionId, amountTotal, now, now],
  );
}

/** The refunded total; any refund at all makes the trade REFUND. */
export async function setRefundedTotal(db: Db, id: string, refunded: number, now: Date): Promise<void> {
  await execute(
    db,
    `UPDATE transactions SET refunded_total = ?, state = CASE WHEN ? > 0 THEN 'REFUND' ELSE state END, updated_at = ? WHERE id = ?`,
    [refunded, refunded, now, id],
  );
}

export type RecentOrder = Pick<
  TransactionRow,
  'outTradeNo' | 'amountTotal' | 'refundedTotal' | 'state' | 'successTime' | 'createdAt'
>;

/** A customer's latest `limit` WeChat Pay orders, newest paid first, through the (customer_id, success_time) index. */
export async function recentOrders(db: Db, customerId: string, limit: number): Promise<RecentOrder[]> {
  const rows = await select(
    db,
    `SELECT out_trade_no, amount_total, refunded_total, state, success_time, created_at
       FROM transactions WHERE customer_id = ? ORDER BY success_time DESC, id DESC LIMIT ${Math.trunc(limit)}`,
    [customerId],
  );
  return rows.map((r) => ({
    outTradeNo: String(r.out_trade_no),
    amountTotal: Number(r.amount_total ?? 0),
    refundedTotal: Number(r.refunded_total ?? 0),
    state: String(r.state),
    successTime: fromDbTime(r.success_time),
    createdAt: fromDbTime(r.created_at) ?? new Date(0),
  }));
}

function paidValues(t: PaidTrade): unknown[] {
  return [t.appId, t.transactionId, t.amountTotal, t.payerTotal, t.currency, t.tradeType, t.payerOpenid, t.successTime];
}
