import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** A WeChat Pay APIv3 transaction; amounts in fen. `state` is WeChat's trade_state (SUCCESS, REFUND, …). */
export interface TransactionRow {
  id: string;
  mchId: string;
  appId: string | null;
  outTradeNo: string;
  transactionId: string | null;
  amountTotal: number;
  payerTotal: number | null;
  currency: string;
  state: string;
  tradeType: string | null;
  payerOpenid: string | null;
  customerId: string | null;
  successTime: Date | null;
  refundedTotal: number;
  /** `wechat_pay`, or the configured source an imported order came from (its mchId is then that source id). */
  source: string;
  createdAt: Date;
  updatedAt: Date;
}

export const TransactionEntity = new EntitySchema<TransactionRow>({
  name: 'Transaction',
  tableName: 'transactions',
  columns: {
    id: col.id(),
    mchId: col.key('mch_id', 32),
    appId: col.key('app_id', 64, { nullable: true }),
    outTradeNo: col.key('out_trade_no', 64),
    transactionId: col.key('transaction_id', 64, { nullable: true }),
    amountTotal: col.count('amount_total', { default: 0 }),
    payerTotal: col.count('payer_total', { nullable: true }),
    currency: col.key('currency', 16, { default: 'CNY' }),
    state: col.key('state', 32),
    tradeType: col.key('trade_type', 32, { nullable: true }),
    payerOpenid: col.key('payer_openid', 64, { nullable: true }),
    customerId: col.key('customer_id', 36, { nullable: true }),
    successTime: col.time('success_time', true),
    refundedTotal: col.count('refunded_total', { default: 0 }),
    source: col.key('source', 32, { default: 'wechat_pay' }),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
  },
  uniques: [{ name: 'uq_transactions_mch_out_trade_no', columns: ['mchId', 'outTradeNo'] }],
  indices: [
    { name: 'idx_transactions_customer_success', columns: ['customerId', 'successTime'] },
    { name: 'idx_transactions_transaction_id', columns: ['transactionId'] },
  ],
});
