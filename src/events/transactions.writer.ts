import type { PaymentRefunded, PaymentSucceeded } from '../../connectors/common/normalized-event';
import { type Db, execute, idString, isDuplicateKeyError, select } from '../storage/sql';
import { forUpdate } from '../identity/identity.repository';

interface TradeRow {
  id: string;
  state: string;
  customerId: string | null;
}

async function lockTrade(db: Db, mchId: string, outTradeNo: string): Promise<TradeRow | undefined> {
  const rows = await select<{ id: unknown; state: string; customer_id: string | null }>(
    db,
    `SELECT id, state, customer_id FROM transactions WHERE mch_id = ? AND out_trade_no = ?${forUpdate(db)}`,
    [mchId, outTradeNo],
  );
  const r = rows[0];
  return r ? { id: idString(r.id), state: r.state, customerId: r.customer_id ?? null } : undefined;
}

const isoDate = (v: string | undefined): Date | null => (v ? new Date(v) : null);

/**
 * TRANSACTION.SUCCESS into `transactions`, idempotent per (mch_id, out_trade_no) (wechat-api.md §8.3: duplicates
 * are normal). A payment already refunded keeps its REFUND state when the success notification is redelivered;
 * a customer found later fills an unlinked row. Refunds that arrived first get the customer too.
 */
export async function applyPayment(db: Db, mchId: string, e: PaymentSucceeded, customerId: string | null, now: Date): Promise<string> {
  const existing = await lockTrade(db, mchId, e.outTradeNo);
  const fields = [e.appId, e.transactionId, e.amountTotal, e.payerTotal, e.currency || 'CNY', e.tradeType, e.payerOpenid, isoDate(e.successTime)];
  if (!existing) {
    try {
      const { insertId } = await execute(
        db,
        `INSERT INTO transactions (mch_id, out_trade_no, app_id, transaction_id, amount_total, payer_total, currency, trade_type, payer_openid, success_time, state, customer_id, refunded_total, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
        [mchId, e.outTradeNo, ...fields, e.tradeState || 'SUCCESS', customerId, now, now],
      );
      await linkRefunds(db, mchId, e.outTradeNo, customerId);
      return insertId!;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return applyPayment(db, mchId, e, customerId, now);
    }
  }
  const state = existing.state === 'REFUND' ? 'REFUND' : e.tradeState || 'SUCCESS';
  await execute(
    db,
    `UPDATE transactions SET app_id = ?, transaction_id = ?, amount_total = ?, payer_total = ?, currency = ?, trade_type = ?, payer_openid = ?, success_time = ?,
       state = ?, customer_id = COALESCE(customer_id, ?), updated_at = ? WHERE id = ?`,
    [...fields, state, customerId, now, existing.id],
  );
  await linkRefunds(db, mchId, e.outTradeNo, existing.customerId ?? customerId);
  return existing.id;
}

async function linkRefunds(db: Db, mchId: string, outTradeNo: string, customerId: string | null): Promise<void> {
  if (!customerId) return;
  await execute(db, 'UPDATE refunds SET customer_id = ? WHERE mch_id = ? AND out_trade_no = ? AND customer_id IS NULL', [customerId, mchId, outTradeNo]);
}

/**
 * REFUND.* into `refunds` (unique per mch_id, out_refund_no) and the trade's refunded_total / state. A refund
 * for a trade not seen yet creates the trade row from what the refund carries (it was paid: only paid trades
 * are refunded); the success notification fills in the rest. Returns the customer of the trade, if known.
 */
export async function applyRefund(db: Db, mchId: string, e: PaymentRefunded, now: Date): Promise<string | null> {
  let trade = await lockTrade(db, mchId, e.outTradeNo);
  if (!trade) {
    try {
      await execute(
        db,
        `INSERT INTO transactions (mch_id, out_trade_no, transaction_id, amount_total, state, refunded_total, created_at, updated_at) VALUES (?, ?, ?, ?, 'SUCCESS', 0, ?, ?)`,
        [mchId, e.outTradeNo, e.transactionId || null, e.amountTotal, now, now],
      );
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    trade = (await lockTrade(db, mchId, e.outTradeNo))!;
  }
  const refund = [e.refundId || null, e.outTradeNo, e.transactionId || null, e.amountRefund, e.amountTotal, e.refundStatus, trade.customerId, isoDate(e.successTime)];
  const found = await select<{ id: unknown; refund_status: string }>(db, `SELECT id, refund_status FROM refunds WHERE mch_id = ? AND out_refund_no = ?${forUpdate(db)}`, [
    mchId,
    e.outRefundNo,
  ]);
  if (found[0]) {
    // A refund that succeeded stays succeeded whatever order the notifications are processed in.
    if (found[0].refund_status !== 'SUCCESS' || e.refundStatus === 'SUCCESS') {
      await execute(
        db,
        `UPDATE refunds SET refund_id = ?, out_trade_no = ?, transaction_id = ?, amount_refund = ?, amount_total = ?, refund_status = ?, customer_id = COALESCE(customer_id, ?), success_time = ?, updated_at = ? WHERE id = ?`,
        [...refund, now, idString(found[0].id)],
      );
    }
  } else {
    await execute(
      db,
      `INSERT INTO refunds (mch_id, out_refund_no, refund_id, out_trade_no, transaction_id, amount_refund, amount_total, refund_status, customer_id, success_time, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [mchId, e.outRefundNo, ...refund, now, now],
    );
  }
  const [sum] = await select<{ total: unknown }>(db, "SELECT COALESCE(SUM(amount_refund), 0) AS total FROM refunds WHERE mch_id = ? AND out_trade_no = ? AND refund_status = 'SUCCESS'", [
    mchId,
    e.outTradeNo,
  ]);
  const refunded = Number(sum?.total ?? 0);
  await execute(db, `UPDATE transactions SET refunded_total = ?, state = CASE WHEN ? > 0 THEN 'REFUND' ELSE state END, updated_at = ? WHERE id = ?`, [
    refunded,
    refunded,
    now,
    trade.id,
  ]);
  return trade.customerId;
}
