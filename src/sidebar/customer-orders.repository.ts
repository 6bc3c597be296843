import { type Db, fromDbTime, select } from '../storage/sql';
import type { SidebarOrderJson } from './sidebar-api.types';

/** Enough for a chat: the rep sees the latest orders; the console has the rest. */
const RECENT_ORDERS = 10;

/** A customer's latest WeChat Pay orders, newest paid first, through the (customer_id, success_time) index. */
export async function recentOrders(db: Db, customerId: string): Promise<SidebarOrderJson[]> {
  const rows = await select(
    db,
    `SELECT out_trade_no, amount_total, refunded_total, state, success_time, created_at
       FROM transactions WHERE customer_id = ? ORDER BY success_time DESC, id DESC LIMIT ${RECENT_ORDERS}`,
    [customerId],
  );
  return rows.map((r) => ({
    outTradeNo: String(r.out_trade_no),
    amountFen: Number(r.amount_total ?? 0),
    refundedFen: Number(r.refunded_total ?? 0),
    state: String(r.state),
    paidAt: fromDbTime(r.success_time)?.toISOString() ?? null,
    createdAt: fromDbTime(r.created_at)?.toISOString() ?? new Date(0).toISOString(),
  }));
}
