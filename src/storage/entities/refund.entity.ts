import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** A WeChat Pay APIv3 refund (REFUND.* notifications); amounts in fen. */
export interface RefundRow {
  id: string;
  mchId: string;
  outRefundNo: string;
  refundId: string | null;
  outTradeNo: string;
  transactionId: string | null;
  amountRefund: number;
  amountTotal: number | null;
  /** SUCCESS, CLOSED, ABNORMAL, PROCESSING. */
  refundStatus: string;
  customerId: string | null;
  successTime: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const RefundEntity = new EntitySchema<RefundRow>({
  name: 'Refund',
  tableName: 'refunds',
  columns: {
    id: col.id(),
    mchId: col.key('mch_id', 32),
    outRefundNo: col.key('out_refund_no', 64),
    refundId: col.key('refund_id', 64, { nullable: true }),
    outTradeNo: col.key('out_trade_no', 64),
    transactionId: col.key('transaction_id', 64, { nullable: true }),
    amountRefund: col.count('amount_refund', { default: 0 }),
    amountTotal: col.count('amount_total', { nullable: true }),
    refundStatus: col.key('refund_status', 32),
    customerId: col.key('customer_id', 36, { nullable: true }),
    successTime: col.time('success_time', true),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
  },
  uniques: [{ name: 'uq_refunds_mch_out_refund_no', columns: ['mchId', 'outRefundNo'] }],
  indices: [
    { name: 'idx_refunds_trade', columns: ['mchId', 'outTradeNo'] },
    { name: 'idx_refunds_customer', columns: ['customerId'] },
  ],
});
