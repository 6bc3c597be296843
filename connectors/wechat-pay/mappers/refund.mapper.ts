import type { PaymentRefunded } from '../../common/normalized-event';
import type { RefundResource } from '../types';
import { payTimeIso } from './time';

/**
 * REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED → payment.refunded (the status says which).
 * https://pay.weixin.qq.com/doc/v3/merchant/4012791886
 */
export function mapRefund(mchId: string, notificationTime: string, refund: RefundResource): PaymentRefunded {
  const successTime = refund.success_time !== undefined ? payTimeIso(refund.success_time) : undefined;
  return {
    kind: 'payment.refunded',
    channel: 'wechat-pay',
    account: mchId,
    occurredAt: successTime ?? payTimeIso(notificationTime),
    outTradeNo: refund.out_trade_no,
    transactionId: refund.transaction_id,
    outRefundNo: refund.out_refund_no,
    refundId: refund.refund_id,
    refundStatus: refund.refund_status,
    amountTotal: refund.amount.total,
    amountRefund: refund.amount.refund,
    ...(successTime !== undefined ? { successTime } : {}),
  };
}
