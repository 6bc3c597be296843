import type { TransactionRow } from '../entities/transaction.entity';
import { type Db, fromDbTime, select } from '../sql';

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
