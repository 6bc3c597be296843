import type { RefundResource, TransactionResource } from './notification.builder';

/**
 * The orders the emulated WeChat Pay knows about, so the order-query API answers what the notifications said
 * (a gateway reconciles missed notifications by querying — wechat-api.md §8.3).
 */
export class PayLedger {
  private readonly orders = new Map<string, TransactionResource>();
  private readonly refunds = new Map<string, RefundResource>();

  private static key(mchId: string, no: string): string {
    return `${mchId}\u0000${no}`;
  }

  putOrder(t: TransactionResource): void {
    this.orders.set(PayLedger.key(t.mchid, t.out_trade_no), t);
  }

  order(mchId: string, outTradeNo: string): TransactionResource | undefined {
    return this.orders.get(PayLedger.key(mchId, outTradeNo));
  }

  /** A successful refund moves the order to trade_state REFUND, as the order query then reports. */
  putRefund(r: RefundResource): void {
    this.refunds.set(PayLedger.key(r.mchid, r.out_refund_no), r);
    const order = this.order(r.mchid, r.out_trade_no);
    if (order && r.refund_status === 'SUCCESS')
      this.putOrder({ ...order, trade_state: 'REFUND', trade_state_desc: '订单发生过退款，退款详情请查询退款单' });
  }

  refundedTotal(mchId: string, outTradeNo: string): number {
    let sum = 0;
    for (const r of this.refunds.values())
      if (r.mchid === mchId && r.out_trade_no === outTradeNo && r.refund_status === 'SUCCESS') sum += r.amount.refund;
    return sum;
  }

  clear(): void {
    this.orders.clear();
    this.refunds.clear();
  }
}
