import type { PaymentRefunded, PaymentSucceeded } from '../../connectors/common/normalized-event';
import {
  insertRefund,
  linkRefunds,
  lockRefund,
  refundedTotal,
  updateRefund,
  type RefundNotice,
} from '../storage/events/refund.repository';
import {
  insertPaidTrade,
  insertTradeSeenByRefund,
  lockTrade,
  setRefundedTotal,
  updatePaidTrade,
  type PaidTrade,
} from '../storage/events/transaction.repository';
import { refreshPurchaseFigures } from '../storage/customers/purchase-figures.repository';
import type { Db } from '../storage/sql';

const isoDate = (v: string | undefined): Date | null => (v ? new Date(v) : null);

/**
 * TRANSACTION.SUCCESS into `transactions`, idempotent per (mch_id, out_trade_no) (wechat-api.md §8.3: duplicates
 * are normal). A payment already refunded keeps its REFUND state when the success notification is redelivered;
 * a customer found later fills an unlinked row. Refunds that arrived first get the customer too. The customer's
 * purchase figures are recomputed with the row.
 */
export async function applyPayment(
  db: Db,
  mchId: string,
  e: PaymentSucceeded,
  customerId: string | null,
  now: Date,
): Promise<string> {
  const existing = await lockTrade(db, mchId, e.outTradeNo);
  const paid: PaidTrade = {
    appId: e.appId,
    transactionId: e.transactionId,
    amountTotal: e.amountTotal,
    payerTotal: e.payerTotal,
    currency: e.currency || 'CNY',
    tradeType: e.tradeType,
    payerOpenid: e.payerOpenid,
    successTime: isoDate(e.successTime),
  };
  if (!existing) {
    const id = await insertPaidTrade(db, mchId, e.outTradeNo, paid, e.tradeState || 'SUCCESS', customerId, now);
    if (id === undefined) return applyPayment(db, mchId, e, customerId, now);
    if (customerId) await linkRefunds(db, mchId, e.outTradeNo, customerId);
    await refreshPurchaseFigures(db, [customerId]);
    return id;
  }
  const state = existing.state === 'REFUND' ? 'REFUND' : e.tradeState || 'SUCCESS';
  await updatePaidTrade(db, existing.id, paid, state, customerId, now);
  const linked = existing.customerId ?? customerId;
  if (linked) await linkRefunds(db, mchId, e.outTradeNo, linked);
  await refreshPurchaseFigures(db, [linked]);
  return existing.id;
}

/**
 * REFUND.* into `refunds` (unique per mch_id, out_refund_no) and the trade's refunded_total / state. A refund
 * for a trade not seen yet creates the trade row from what the refund carries (it was paid: only paid trades
 * are refunded); the success notification fills in the rest. Returns the customer of the trade, if known.
 */
export async function applyRefund(db: Db, mchId: string, e: PaymentRefunded, now: Date): Promise<string | null> {
  let trade = await lockTrade(db, mchId, e.outTradeNo);
  if (!trade) {
    await insertTradeSeenByRefund(db, mchId, e.outTradeNo, e.transactionId || null, e.amountTotal, now);
    trade = (await lockTrade(db, mchId, e.outTradeNo))!;
  }
  const notice: RefundNotice = {
    refundId: e.refundId || null,
    outTradeNo: e.outTradeNo,
    transactionId: e.transactionId || null,
    amountRefund: e.amountRefund,
    amountTotal: e.amountTotal,
    refundStatus: e.refundStatus,
    customerId: trade.customerId,
    successTime: isoDate(e.successTime),
  };
  const found = await lockRefund(db, mchId, e.outRefundNo);
  if (found) {
    // A refund that succeeded stays succeeded whatever order the notifications are processed in.
    if (found.refundStatus !== 'SUCCESS' || e.refundStatus === 'SUCCESS') await updateRefund(db, found.id, notice, now);
  } else {
    await insertRefund(db, mchId, e.outRefundNo, notice, now);
  }
  await setRefundedTotal(db, trade.id, await refundedTotal(db, mchId, e.outTradeNo), now);
  // A refund lowers the customer's spend; the order stays counted.
  await refreshPurchaseFigures(db, [trade.customerId]);
  return trade.customerId;
}
