import { randomInt, randomUUID } from 'crypto';
import { encryptResource, rfc3339 } from './pay-crypto';

/**
 * WeChat Pay APIv3 notification bodies and their decrypted resources (wechat-api.md §8.1–8.2).
 * https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_1_5.shtml (payment notification)
 * https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_1_11.shtml (refund notification)
 */
export interface TransactionResource {
  mchid: string;
  appid: string;
  out_trade_no: string;
  transaction_id: string;
  trade_type: 'JSAPI' | 'NATIVE' | 'APP' | 'MICROPAY' | 'MWEB' | 'FACEPAY';
  trade_state: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';
  trade_state_desc: string;
  bank_type: string;
  attach: string;
  success_time: string;
  payer: { openid: string };
  amount: { total: number; payer_total: number; currency: 'CNY'; payer_currency: 'CNY' };
}

export interface RefundResource {
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  refund_status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  success_time?: string;
  user_received_account: string;
  amount: { total: number; refund: number; payer_total: number; payer_refund: number };
}

export type PayEventType = 'TRANSACTION.SUCCESS' | 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED';

const SUMMARY: Record<PayEventType, string> = {
  'TRANSACTION.SUCCESS': '支付成功',
  'REFUND.SUCCESS': '退款成功',
  'REFUND.ABNORMAL': '退款异常',
  'REFUND.CLOSED': '退款关闭',
};

export interface NotificationBody {
  id: string;
  create_time: string;
  resource_type: 'encrypt-resource';
  event_type: PayEventType;
  summary: string;
  resource: {
    original_type: 'transaction' | 'refund';
    algorithm: 'AEAD_AES_256_GCM';
    ciphertext: string;
    associated_data: string;
    nonce: string;
  };
}

/** 28-digit WeChat-style ids: `42…` for transactions, `50…` for refunds. */
export function wechatId(prefix: '42' | '50', nowMs: number): string {
  const date = rfc3339(nowMs).slice(0, 10).replace(/-/g, '');
  const rand = Array.from({ length: 28 - prefix.length - 8 }, () => randomInt(10)).join('');
  return `${prefix}${date}${rand}`;
}

/** Encrypts the resource with the merchant's APIv3 key (AAD = original_type) and wraps it in the envelope. */
export function buildNotification(
  eventType: PayEventType,
  resource: TransactionResource | RefundResource,
  apiV3Key: string,
  nowMs: number,
): NotificationBody {
  const originalType = eventType === 'TRANSACTION.SUCCESS' ? 'transaction' : 'refund';
  const enc = encryptResource(apiV3Key, JSON.stringify(resource), originalType);
  return {
    id: randomUUID(),
    create_time: rfc3339(nowMs),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: SUMMARY[eventType],
    resource: {
      original_type: originalType,
      algorithm: enc.algorithm,
      ciphertext: enc.ciphertext,
      associated_data: enc.associated_data,
      nonce: enc.nonce,
    },
  };
}
