import type { RefundRow } from '../entities/refund.entity';
import { dialectFor } from '../dialect';
import { type Db, execute, idString, select } from '../sql';

/** What a refund notification says, written on insert and on update alike. */
export type RefundNotice = Pick<
  RefundRow,
  | 'refundId'
  | 'outTradeNo'
  | 'transactionId'
  | 'amountRefund'
  | 'amountTotal'
  | 'refundStatus'
  | 'customerId'
  | 'successTime'
>;

/** Gives the trade's unlinked refunds their customer. */
export async function linkRefunds(db: Db, mchId: string, outTradeNo: string, customerId: string): Promise<void> {
  await execute(
    db,
    'UPDATE refunds SET customer_id = ? WHERE mch_id = ? AND out_trade_no = ? AND customer_id IS NULL',
    [customerId, mchId, outTradeNo],
  );
}

/** The refund's row, locked for the rest of the transaction on MySQL. */
export async function lockRefund(
  db: Db,
  mchId: string,
  outRefundNo: string,
): Promise<Pick<RefundRow, 'id' | 'refundStatus'> | undefined> {
  const [r] = await select<{ id: unknown; refund_status: string }>(
    db,
    `SELECT id, refund_status FROM refunds WHERE mch_id = ? AND out_refund_no = ?${dialectFor(db).forUpdate}`,
    [mchId, outRefundNo],
  );
  return r && { id: idString(r.id), refundStatus: r.refund_status };
}

/** Rewrites a refund from a notification; a customer already linked stays. */
export async function updateRefund(db: Db, id: string, n: RefundNotice, now: Date): Promise<void> {
  await execute(
    db,
    `UPDATE refunds SET refund_id = ?, out_trade_no = ?, transaction_id = ?, amount_refund = ?, amount_total = ?, refund_status = ?, customer_id = COALESCE(customer_id, ?), success_time = ?, updated_at = ? WHERE id = ?`,
    [...noticeValues(n), now, id],
  );
}

export async function insertRefund(
  db: Db,
  mchId: string,
  outRefundNo: string,
  n: RefundNotice,
  now: Date,
): Promise<void> {
  await execute(
    db,
    `INSERT INTO refunds (mch_id, out_refund_no, refund_id, out_trade_no, transaction_id, amount_refund, amount_total, refund_status, customer_id, success_time, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [mchId, outRefundNo, ...noticeValues(n), now, now],
  );
}

/** The sum of the trade's successful refunds, in fen. */
export async function refundedTotal(db: Db, mchId: string, outTradeNo: string): Promise<number> {
  const [sum] = await select<{ total: unknown }>(
    db,
    "SELECT COALESCE(SUM(amount_refund), 0) AS total FROM refunds WHERE mch_id = ? AND out_trade_no = ? AND refund_status = 'SUCCESS'",
    [mchId, outTradeNo],
  );
  return Number(sum?.total ?? 0);
}

function noticeValues(n: RefundNotice): unknown[] {
  return [
    n.refundId,
    n.outTradeNo,
    n.transactionId,
    n.amountRefund,
    n.amountTotal,
    n.refundStatus,
    n.customerId,
    n.successTime,
  ];
}
