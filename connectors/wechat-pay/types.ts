import { z } from 'zod';

/**
 * WeChat Pay APIv3 notification wire types (wechat-api.md §8.1–8.2).
 * https://pay.weixin.qq.com/doc/v3/merchant/4012791861 (支付成功回调通知)
 * https://pay.weixin.qq.com/doc/v3/merchant/4012791886 (退款结果回调通知)
 */

/** The only signature type WeChat Pay uses; SDKs assume it when the header is absent. */
export const SIGNATURE_TYPE = 'WECHATPAY2-SHA256-RSA2048';
/** WeChat Pay sends deliberate probes whose signature starts with this; they must fail (§8.3). */
export const SIGNTEST_PREFIX = 'WECHATPAY/SIGNTEST/';
export const PUBLIC_KEY_ID_PREFIX = 'PUB_KEY_ID_';

/** The signed JSON envelope; `resource` is AEAD_AES_256_GCM under the APIv3 key. */
export const notificationSchema = z.object({
  id: z.string().min(1).max(64),
  create_time: z.string().max(64),
  // Becomes the inbox kind `pay.<event_type>`.
  event_type: z.string().regex(/^[A-Za-z0-9_.-]{1,48}$/),
  resource_type: z.string().optional(),
  summary: z.string().optional(),
  resource: z.object({
    algorithm: z.string(),
    ciphertext: z.string().min(1),
    nonce: z.string().min(1),
    associated_data: z.string().optional(),
    original_type: z.string().optional(),
  }),
});
export type PayNotification = z.infer<typeof notificationSchema>;
export type EncryptedResource = PayNotification['resource'];

// Amounts beyond 2^53 lose digits in JS; no payment comes near.
const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** `original_type: transaction` (TRANSACTION.SUCCESS). Amounts in fen. */
export const transactionSchema = z.object({
  appid: z.string().min(1),
  mchid: z.string().min(1),
  out_trade_no: z.string().min(1),
  transaction_id: z.string().min(1),
  trade_type: z.string().default(''),
  trade_state: z.string().min(1),
  trade_state_desc: z.string().optional(),
  bank_type: z.string().optional(),
  attach: z.string().optional(),
  success_time: z.string().optional(),
  payer: z.object({ openid: z.string().optional() }).optional(),
  amount: z.object({
    total: fen,
    payer_total: fen.optional(),
    currency: z.string().default('CNY'),
    payer_currency: z.string().optional(),
  }),
});
export type TransactionResource = z.infer<typeof transactionSchema>;

/** `original_type: refund` (REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED). */
export const refundSchema = z.object({
  mchid: z.string().min(1),
  out_trade_no: z.string().min(1),
  transaction_id: z.string().min(1),
  out_refund_no: z.string().min(1),
  refund_id: z.string().min(1),
  refund_status: z.enum(['SUCCESS', 'CLOSED', 'ABNORMAL']),
  success_time: z.string().optional(),
  user_received_account: z.string().optional(),
  amount: z.object({ total: fen, refund: fen, payer_total: fen.optional(), payer_refund: fen.optional() }),
});
export type RefundResource = z.infer<typeof refundSchema>;

/** Any decrypted resource carries the merchant id it belongs to (checked against the account). */
export const anyResourceSchema = z.object({ mchid: z.string().optional(), appid: z.string().optional() });
