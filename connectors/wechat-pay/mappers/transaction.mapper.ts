import type { PaymentSucceeded } from '../../common/normalized-event';
import type { TransactionResource } from '../types';
import { payTimeIso } from './time';

/**
 * TRANSACTION.SUCCESS → payment.succeeded. The payer openid belongs to `appid`, which may be an OA, an MP or
 * an H5 page of that OA: the resource does not say which, so no identity.observed is emitted here; the core
 * resolves payerOpenid against the identities it already holds for that appid. WeChat Pay is not a verified
 * phone source (DESIGN §4) and carries no unionid.
 * https://pay.weixin.qq.com/doc/v3/merchant/4012791861
 */
export function mapTransaction(mchId: string, notificationTime: string, tx: TransactionResource): PaymentSucceeded {
  const successTime = payTimeIso(tx.success_time ?? notificationTime);
  return {
    kind: 'payment.succeeded',
    channel: 'wechat-pay',
    account: mchId,
    occurredAt: successTime,
    appId: tx.appid,
    outTradeNo: tx.out_trade_no,
    transactionId: tx.transaction_id,
    tradeType: tx.trade_type,
    tradeState: tx.trade_state,
    amountTotal: tx.amount.total,
    payerTotal: tx.amount.payer_total ?? tx.amount.total,
    currency: tx.amount.currency,
    payerOpenid: tx.payer?.openid ?? '',
    successTime,
    ...(tx.attach !== undefined ? { attach: tx.attach } : {}),
  };
}
