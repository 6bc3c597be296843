import { randomBytes } from 'crypto';
import { httpCall, TransportError } from '../callbacks/http-transport';
import type { Clock } from '../clock';
import {
  buildNotification,
  type NotificationBody,
  type PayEventType,
  type RefundResource,
  type TransactionResource,
} from './notification.builder';
import { probeSignature, randomString, signMessage, SIGNATURE_TYPE } from './pay-crypto';
import type { PayKeyring, SigningKey, SigningMode } from './pay-keys';

/**
 * Delivers WeChat Pay notifications (wechat-api.md §8.1, §8.3): signed headers, 5 s timeout, success only on
 * HTTP 200/204 (a 200 carrying code FAIL is still success; 4xx/5xx fail whatever the body), then the 15-step
 * retry schedule on the emulator clock: nothing waits in real time, `runDueRetries()` delivers what is due.
 * https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_1_5.shtml
 */
export const RETRY_SCHEDULE_SECONDS = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
] as const;

/** Negative variants for the gateway's verifier; each is sent once and is expected to be rejected (4xx/5xx). */
export type PayVariant =
  'normal' | 'probe' | 'stale' | 'tamper-body' | 'tamper-whitespace' | 'tamper-signature' | 'unknown-serial';

export interface NotifyOptions {
  url: string;
  apiV3Key: string;
  mode?: SigningMode;
  variant?: PayVariant;
  /** How far in the past a stale timestamp is (default 600 s, beyond the SDKs' 5-minute window). */
  staleSeconds?: number;
  /** Extra deliveries of the same notification (same id and body) after the gateway acked it. */
  duplicates?: number;
  timeoutMs?: number;
}

export interface PayAttempt {
  attempt: number;
  at: number;
  outcome: 'success' | 'failure' | 'timeout' | 'network-error';
  status?: number;
  body?: string;
  latencyMs: number;
  error?: string;
  headers: Record<string, string>;
  injected?: 'duplicate' | 'redelivery';
}

export interface NotificationRecord {
  id: string;
  mchId: string;
  eventType: PayEventType;
  url: string;
  variant: PayVariant;
  signingMode: SigningKey['mode'];
  serial: string;
  /** The bytes sent (for tamper variants: the tampered ones) and the decrypted resource. */
  body: string;
  resource: TransactionResource | RefundResource;
  createdAt: number;
  state: 'retrying' | 'succeeded' | 'exhausted' | 'done';
  expectation: 'accept' | 'reject';
  /** Normal: acked. Negative variants: the gateway answered 4xx/5xx. */
  expectationMet: boolean;
  /** Retries used so far (0..15) and when the next one is due (emulator-clock ms). */
  retries: number;
  nextAttemptAt?: number;
  attempts: PayAttempt[];
}

interface Pending {
  record: NotificationRecord;
  signedBody: string;
  signer: SigningKey;
  timeoutMs: number;
  staleSeconds: number;
  busy: boolean;
}

export class PayNotifier {
  private readonly pending = new Map<string, Pending>();
  private readonly order: string[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly keyring: PayKeyring,
    private readonly capacity = 5000,
  ) {}

  async notify(
    mchId: string,
    eventType: PayEventType,
    resource: TransactionResource | RefundResource,
    opts: NotifyOptions,
  ): Promise<NotificationRecord> {
    const variant = opts.variant ?? 'normal';
    const body = buildNotification(eventType, resource, opts.apiV3Key, this.clock.nowMs());
    const signedBody = JSON.stringify(body);
    const signer = this.keyring.signer(opts.mode);
    const record: NotificationRecord = {
      id: body.id,
      mchId,
      eventType,
      url: opts.url,
      variant,
      signingMode: signer.mode,
      serial: variant === 'unknown-serial' ? randomBytes(20).toString('hex').toUpperCase() : signer.serial,
      body: sentBody(variant, body, signedBody, resource, opts.apiV3Key),
      resource,
      createdAt: this.clock.nowMs(),
      state: 'retrying',
      expectation: variant === 'normal' ? 'accept' : 'reject',
      expectationMet: false,
      retries: 0,
      attempts: [],
    };
    const p: Pending = {
      record,
      signedBody,
      signer,
      timeoutMs: opts.timeoutMs ?? 5000,
      staleSeconds: opts.staleSeconds ?? 600,
      busy: false,
    };
    this.remember(p);
    await this.attempt(p);
    for (let d = 0; d < (opts.duplicates ?? 0) && record.state === 'succeeded'; d++) await this.attempt(p, 'duplicate');
    return record;
  }

  /** Delivers every retry that is due on the emulator clock (all of them, in order, after a large advance). */
  async runDueRetries(): Promise<NotificationRecord[]> {
    const touched: NotificationRecord[] = [];
    for (const id of [...this.order]) {
      const p = this.pending.get(id);
      if (!p || p.busy || p.record.state !== 'retrying') continue;
      let ran = false;
      while (
        p.record.state === 'retrying' &&
        p.record.nextAttemptAt !== undefined &&
        p.record.nextAttemptAt <= this.clock.nowMs()
      ) {
        await this.attempt(p);
        ran = true;
      }
      if (ran) touched.push(p.record);
    }
    return touched;
  }

  /** Sends an already-delivered notification again, same id and body (WeChat's duplicate notifications). */
  async redeliver(id: string): Promise<NotificationRecord | undefined> {
    const p = this.pending.get(id);
    if (!p) return undefined;
    await this.attempt(p, 'redelivery');
    return p.record;
  }

  get(id: string): NotificationRecord | undefined {
    return this.pending.get(id)?.record;
  }

  list(): NotificationRecord[] {
    return this.order.map((id) => this.pending.get(id)!.record);
  }

  clear(): void {
    this.pending.clear();
    this.order.length = 0;
  }

  private remember(p: Pending): void {
    this.pending.set(p.record.id, p);
    this.order.push(p.record.id);
    while (this.order.length > this.capacity) this.pending.delete(this.order.shift()!);
  }

  private headers(p: Pending): Record<string, string> {
    const { record, signer } = p;
    const ts = String(this.clock.nowSeconds() - (record.variant === 'stale' ? p.staleSeconds : 0));
    const nonce = randomString(32);
    let signature = signMessage(signer.privateKey, ts, nonce, p.signedBody);
    if (record.variant === 'probe') signature = probeSignature();
    if (record.variant === 'tamper-signature')
      signature = signMessage(signer.privateKey, ts, nonce, `${p.signedBody} `);
    return {
      'content-type': 'application/json',
      'wechatpay-timestamp': ts,
      'wechatpay-nonce': nonce,
      'wechatpay-signature': signature,
      'wechatpay-serial': record.serial,
      'wechatpay-signature-type': SIGNATURE_TYPE,
    };
  }

  private async attempt(p: Pending, injected?: PayAttempt['injected']): Promise<void> {
    const { record } = p;
    p.busy = true;
    const isRetry = !injected && record.attempts.some((x) => !x.injected);
    if (isRetry) record.retries += 1;
    const headers = this.headers(p);
    const base = {
      attempt: record.attempts.length + 1,
      at: this.clock.nowMs(),
      headers,
      ...(injected ? { injected } : {}),
    };
    let a: PayAttempt;
    try {
      const res = await httpCall({
        method: 'POST',
        url: record.url,
        headers,
        body: record.body,
        timeoutMs: p.timeoutMs,
      });
      // wechat-api.md §8.3: the HTTP status alone decides; 200 with {"code":"FAIL"} is still a success.
      const ok = res.status === 200 || res.status === 204;
      a = {
        ...base,
        outcome: ok ? 'success' : 'failure',
        status: res.status,
        body: res.body.slice(0, 64 * 1024),
        latencyMs: res.latencyMs,
      };
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      a = {
        ...base,
        outcome: e.code === 'TIMEOUT' ? 'timeout' : 'network-error',
        latencyMs: e.latencyMs,
        error: e.message,
      };
    } finally {
      p.busy = false;
    }
    record.attempts.push(a);
    if (injected || record.state !== 'retrying') return;
    if (record.expectation === 'reject') {
      record.state = 'done';
      record.expectationMet = a.outcome === 'failure';
      return;
    }
    if (a.outcome === 'success') {
      record.state = 'succeeded';
      record.expectationMet = record.expectation === 'accept';
      delete record.nextAttemptAt;
      return;
    }
    const step = RETRY_SCHEDULE_SECONDS[record.retries];
    if (step === undefined) {
      record.state = 'exhausted';
      delete record.nextAttemptAt;
      return;
    }
    // Due times chain from the previous due time, so one large clock jump releases the whole remaining schedule.
    record.nextAttemptAt = (record.nextAttemptAt ?? a.at) + step * 1000;
  }
}

/** The bytes actually sent: the signed body, or a variant the signature does not cover. */
function sentBody(
  variant: PayVariant,
  body: NotificationBody,
  signed: string,
  resource: TransactionResource | RefundResource,
  apiV3Key: string,
): string {
  if (variant === 'tamper-whitespace') return JSON.stringify(body, null, 2);
  if (variant !== 'tamper-body') return signed;
  // An attacker holding the APIv3 key re-encrypts a bigger amount: GCM still opens, only the signature catches it.
  const forged = { ...resource, amount: { ...resource.amount, total: resource.amount.total * 100 } } as
    TransactionResource | RefundResource;
  const re = buildNotification(body.event_type, forged, apiV3Key, 0);
  return JSON.stringify({ ...body, resource: re.resource });
}
