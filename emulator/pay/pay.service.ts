import { randomInt } from 'crypto';
import type { PayMerchant, SenderDeps } from '../plugin-types';
import { ControlError } from '../callbacks/json-body';
import type { NotifyControlOptions, RefundBody, TransactionBody } from './control.schemas';
import { wechatId, type RefundResource, type TransactionResource } from './notification.builder';
import { rfc3339 } from './pay-crypto';
import { PayKeyring } from './pay-keys';
import { PayLedger } from './pay-ledger';
import { PayNotifier, type NotificationRecord, type PayVariant } from './pay-notifier';

/**
 * One emulated WeChat Pay platform: keys, the orders it knows, and its notifier. The control router, the
 * merchant API router and in-process callers share it through `payEmulatorFor(deps)`.
 */
export interface PayResult<T> {
  notification: NotificationRecord;
  resource: T;
}

function variantOf(o: NotifyControlOptions): PayVariant {
  const chosen: PayVariant[] = [];
  if (o.probe) chosen.push('probe');
  if (o.stale) chosen.push('stale');
  if (o.tamper) chosen.push(o.tamper === 'serial' ? 'unknown-serial' : `tamper-${o.tamper}`);
  if (chosen.length > 1) throw new ControlError(400, 'INVALID_BODY', 'choose at most one of probe, stale, tamper');
  return chosen[0] ?? 'normal';
}

export class PayEmulator {
  readonly ledger = new PayLedger();
  private state?: Promise<{ keyring: PayKeyring; notifier: PayNotifier }>;

  constructor(private readonly deps: SenderDeps) {}

  private ready(): Promise<{ keyring: PayKeyring; notifier: PayNotifier }> {
    this.state ??= PayKeyring.create(this.deps.clock).then((keyring) => ({
      keyring,
      notifier: new PayNotifier(this.deps.clock, keyring),
    }));
    return this.state;
  }

  async keyring(): Promise<PayKeyring> {
    return (await this.ready()).keyring;
  }

  async notifier(): Promise<PayNotifier> {
    return (await this.ready()).notifier;
  }

  merchant(mchId: string): PayMerchant {
    const m = this.deps.resolveMerchant(mchId);
    if (!m) throw new ControlError(404, 'MERCHANT_NOT_FOUND', `no merchant ${mchId}`);
    return m;
  }

  private async send<T extends TransactionResource | RefundResource>(
    m: PayMerchant,
    eventType: NotificationRecord['eventType'],
    resource: T,
    o: NotifyControlOptions,
  ): Promise<PayResult<T>> {
    const url = o.url ?? m.notifyUrl;
    if (!url)
      throw new ControlError(400, 'NO_NOTIFY_URL', `merchant ${m.mchId} has no notify URL: configure one or pass url`);
    const variant = variantOf(o);
    const notification = await (
      await this.notifier()
    ).notify(m.mchId, eventType, resource, {
      url,
      apiV3Key: m.apiV3Key,
      mode: o.mode,
      variant,
      staleSeconds: typeof o.stale === 'number' ? o.stale : undefined,
      duplicates: o.duplicates,
      timeoutMs: o.timeoutMs,
    });
    return { notification, resource };
  }

  /** TRANSACTION.SUCCESS for a (new) paid order; negative variants leave the ledger untouched. */
  async notifyTransaction(mchId: string, b: TransactionBody): Promise<PayResult<TransactionResource>> {
    const m = this.merchant(mchId);
    const now = this.deps.clock.nowMs();
    const resource: TransactionResource = {
      mchid: m.mchId,
      appid: b.appId ?? m.appId,
      out_trade_no: b.outTradeNo ?? `T${now}${randomInt(1000, 9999)}`,
      transaction_id: wechatId('42', now),
      trade_type: b.tradeType ?? 'JSAPI',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: b.bankType ?? 'OTHERS',
      attach: b.attach ?? '',
      success_time: rfc3339(now),
      payer: { openid: b.openid },
      amount: { total: b.amount, payer_total: b.payerTotal ?? b.amount, currency: 'CNY', payer_currency: 'CNY' },
    };
    if (variantOf(b) === 'normal') this.ledger.putOrder(resource);
    return this.send(m, 'TRANSACTION.SUCCESS', resource, b);
  }

  /** REFUND.SUCCESS / ABNORMAL / CLOSED for an order this emulator notified before. */
  async notifyRefund(mchId: string, b: RefundBody): Promise<PayResult<RefundResource>> {
    const m = this.merchant(mchId);
    const order = this.ledger.order(m.mchId, b.outTradeNo);
    if (!order) throw new ControlError(404, 'ORDER_NOT_FOUND', `no paid order ${b.outTradeNo} for merchant ${mchId}`);
    const left = order.amount.total - this.ledger.refundedTotal(m.mchId, b.outTradeNo);
    const refund = b.refund ?? left;
    if (refund > left || refund <= 0)
      throw new ControlError(
        400,
        'REFUND_EXCEEDS_ORDER',
        `refund ${refund} exceeds the ${left} fen left on ${b.outTradeNo}`,
      );
    const status = b.status ?? 'SUCCESS';
    const now = this.deps.clock.nowMs();
    const payerRefund = Math.min(refund, order.amount.payer_total);
    const resource: RefundResource = {
      mchid: m.mchId,
      out_trade_no: order.out_trade_no,
      transaction_id: order.transaction_id,
      out_refund_no: b.outRefundNo ?? `R${now}${randomInt(1000, 9999)}`,
      refund_id: wechatId('50', now),
      refund_status: status,
      ...(status === 'SUCCESS' ? { success_time: rfc3339(now) } : {}),
      user_received_account: b.userReceivedAccount ?? '支付用户零钱',
      amount: { total: order.amount.total, refund, payer_total: order.amount.payer_total, payer_refund: payerRefund },
    };
    if (variantOf(b) === 'normal') this.ledger.putRefund(resource);
    return this.send(m, `REFUND.${status}`, resource, b);
  }

  async runDueRetries(): Promise<NotificationRecord[]> {
    return (await this.notifier()).runDueRetries();
  }

  /** Runs due retries on a real-time interval (for a live emulator; tests call runDueRetries after clock.advance). */
  startRetryTimer(intervalMs = 1000): () => void {
    const timer = setInterval(() => {
      this.runDueRetries().catch((e: unknown) => process.emitWarning(`pay retry run failed: ${String(e)}`));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}

const emulators = new WeakMap<SenderDeps, PayEmulator>();

export function payEmulatorFor(deps: SenderDeps): PayEmulator {
  let e = emulators.get(deps);
  if (!e) {
    e = new PayEmulator(deps);
    emulators.set(deps, e);
  }
  return e;
}
