import { z } from 'zod';

/** Bodies of the Pay control API (documented in emulator/pay/README.md). */
const notifyOptions = {
  url: z.url().optional(),
  mode: z.enum(['certificate', 'public-key', 'mixed']).optional(),
  /** Signature-test probe: Wechatpay-Signature starts with WECHATPAY/SIGNTEST/. */
  probe: z.boolean().optional(),
  /** true = 600 s old timestamp; a number = that many seconds old. */
  stale: z.union([z.boolean(), z.number().int().positive()]).optional(),
  tamper: z.enum(['body', 'whitespace', 'signature', 'serial']).optional(),
  duplicates: z.number().int().min(0).max(10).optional(),
  timeoutMs: z.number().int().min(1).max(60_000).optional(),
};

export const transactionBody = z.object({
  openid: z.string().min(1),
  /** Fen. */
  amount: z.number().int().positive(),
  payerTotal: z.number().int().nonnegative().optional(),
  outTradeNo: z.string().min(6).max(32).optional(),
  appId: z.string().min(1).optional(),
  tradeType: z.enum(['JSAPI', 'NATIVE', 'APP', 'MICROPAY', 'MWEB', 'FACEPAY']).optional(),
  attach: z.string().max(128).optional(),
  bankType: z.string().optional(),
  ...notifyOptions,
});

export const refundBody = z.object({
  outTradeNo: z.string().min(1),
  /** Fen; defaults to what is left of the order. */
  refund: z.number().int().positive().optional(),
  status: z.enum(['SUCCESS', 'ABNORMAL', 'CLOSED']).optional(),
  outRefundNo: z.string().min(1).max(64).optional(),
  userReceivedAccount: z.string().optional(),
  ...notifyOptions,
});

export const settingsBody = z.object({ mode: z.enum(['certificate', 'public-key', 'mixed']) });

export type TransactionBody = z.infer<typeof transactionBody>;
export type RefundBody = z.infer<typeof refundBody>;
export type NotifyControlOptions = Pick<TransactionBody, keyof typeof notifyOptions>;
