import { createPublicKey, createVerify, X509Certificate } from 'crypto';
import { ControlError } from '../../../emulator/callbacks/json-body';
import { Clock } from '../../../emulator/clock';
import type { NotificationBody } from '../../../emulator/pay/notification.builder';
import { decryptResource } from '../../../emulator/pay/pay-crypto';
import { RETRY_SCHEDULE_SECONDS } from '../../../emulator/pay/pay-notifier';
import { PayEmulator } from '../../../emulator/pay/pay.service';
import type { PayMerchant, SenderDeps } from '../../../emulator/plugin-types';
import { startReceiver, type Receiver, type Received } from '../callbacks/receiver.helper';

// wechat-api.md §8 and §13 items 21–22, against a local koa receiver; retries driven by the emulator clock.
const KEY = '0123456789abcdef0123456789abcdef';
let rx: Receiver;
let clock: Clock;
let pay: PayEmulator;
let merchant: PayMerchant;

beforeEach(async () => {
  rx = await startReceiver(() => ({ status: 204 }));
  clock = new Clock();
  merchant = { mchId: '1900000001', appId: 'wxoa0000000000001', apiV3Key: KEY, notifyUrl: rx.url };
  const deps: SenderDeps = {
    clock,
    resolveTarget: () => undefined,
    resolveMerchant: (id) => (id === merchant.mchId ? merchant : undefined),
  };
  pay = new PayEmulator(deps);
});
afterEach(() => rx.close());

function verifies(req: Received, keyPem: string, body = req.body): boolean {
  const h = req.headers;
  return createVerify('RSA-SHA256')
    .update(Buffer.from(`${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n${body}\n`, 'utf8'))
    .verify(createPublicKey(keyPem), String(h['wechatpay-signature']), 'base64');
}
const pay1 = { openid: 'oPayer', amount: 1999, outTradeNo: 'ORDER000001' };

describe('Pay notifications', () => {
  it('refuses an unknown merchant and a merchant without a notify URL', async () => {
    await expect(pay.notifyTransaction('1', pay1)).rejects.toMatchObject({ code: 'MERCHANT_NOT_FOUND' });
    merchant.notifyUrl = undefined;
    await expect(pay.notifyTransaction(merchant.mchId, pay1)).rejects.toThrow(ControlError);
    expect(rx.received).toHaveLength(0);
  });

  it('signs TRANSACTION.SUCCESS with the platform certificate and encrypts the §8.2 resource', async () => {
    const { notification } = await pay.notifyTransaction(merchant.mchId, { ...pay1, attach: 'a=1' });
    const keys = (await pay.keyring()).describe();
    const req = rx.received[0]!;
    expect(req.headers['wechatpay-serial']).toBe(new X509Certificate(keys.certificatePem).serialNumber);
    expect(req.headers['wechatpay-signature-type']).toBe('WECHATPAY2-SHA256-RSA2048');
    expect(
      verifies(
        req,
        new X509Certificate(keys.certificatePem).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      ),
    ).toBe(true);
    expect(verifies(req, keys.publicKeyPem)).toBe(false);
    const body = JSON.parse(req.body) as NotificationBody;
    expect(body).toMatchObject({
      id: notification.id,
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
    });
    expect(body.id.length).toBeLessThanOrEqual(36);
    expect(body.create_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(body.resource).toMatchObject({
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      associated_data: 'transaction',
    });
    const resource = JSON.parse(decryptResource(KEY, body.resource)) as Record<string, unknown>;
    expect(resource).toMatchObject({
      mchid: '1900000001',
      appid: 'wxoa0000000000001',
      out_trade_no: 'ORDER000001',
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      attach: 'a=1',
      payer: { openid: 'oPayer' },
      amount: { total: 1999, payer_total: 1999, currency: 'CNY', payer_currency: 'CNY' },
    });
    expect(resource.transaction_id).toMatch(/^42\d{26}$/);
    expect(notification).toMatchObject({ state: 'succeeded', expectationMet: true, signingMode: 'certificate' });
  });

  it('signs with the PUB_KEY_ID key in public-key mode and mixes both in mixed mode', async () => {
    const keys = (await pay.keyring()).describe();
    await pay.notifyTransaction(merchant.mchId, { ...pay1, mode: 'public-key' });
    expect(rx.received[0]!.headers['wechatpay-serial']).toBe(keys.publicKeyId);
    expect(keys.publicKeyId).toMatch(/^PUB_KEY_ID_\d+$/);
    expect(verifies(rx.received[0]!, keys.publicKeyPem)).toBe(true);
    for (let i = 0; i < 24; i++) await pay.notifyTransaction(merchant.mchId, { ...pay1, mode: 'mixed' });
    expect(new Set(rx.received.slice(1).map((r) => r.headers['wechatpay-serial']))).toEqual(
      new Set([keys.serialNo, keys.publicKeyId]),
    );
  });

  it('applies the ack rules: 200/204 succeed (even with code FAIL), 4xx/5xx fail whatever the body', async () => {
    const replies = [
      { status: 200, body: '{"code":"FAIL","message":"失败"}' },
      { status: 204 },
      { status: 400, body: '{"code":"SUCCESS"}' },
      { status: 500 },
    ];
    const states: string[] = [];
    for (const r of replies) {
      rx.respond(() => r);
      states.push((await pay.notifyTransaction(merchant.mchId, pay1)).notification.state);
    }
    expect(states).toEqual(['succeeded', 'succeeded', 'retrying', 'retrying']);
  });

  it('follows the 15-step retry schedule on the emulator clock, then gives up', async () => {
    rx.respond(() => ({ status: 500 }));
    const { notification: n } = await pay.notifyTransaction(merchant.mchId, { ...pay1, timeoutMs: 500 });
    const t0 = n.attempts[0]!.at;
    expect(n.nextAttemptAt).toBe(t0 + 15_000);
    clock.advance(14);
    expect(await pay.runDueRetries()).toEqual([]);
    let elapsed = 14;
    for (const [i, step] of RETRY_SCHEDULE_SECONDS.entries()) {
      const due = RETRY_SCHEDULE_SECONDS.slice(0, i + 1).reduce((a, b) => a + b, 0);
      clock.advance(due - elapsed);
      elapsed = due;
      expect(await pay.runDueRetries()).toHaveLength(1);
      expect(n.attempts).toHaveLength(i + 2);
      expect(n.retries).toBe(i + 1);
      expect(step).toBeGreaterThan(0);
    }
    expect(elapsed).toBe(24 * 3600 + 4 * 60);
    expect(n.state).toBe('exhausted');
    expect(n.attempts).toHaveLength(16);
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
    expect(new Set(rx.received.map((r) => r.headers['wechatpay-nonce'])).size).toBe(16);
  });

  it('releases every due retry after one large clock jump and stops at the first success', async () => {
    rx.respond(() => ({ status: 503 }));
    const { notification: n } = await pay.notifyTransaction(merchant.mchId, pay1);
    clock.advance(60);
    await pay.runDueRetries();
    expect(n.attempts).toHaveLength(4);
    rx.respond(() => ({ status: 200 }));
    clock.advance(24 * 3600);
    await pay.runDueRetries();
    expect(n.attempts).toHaveLength(5);
    expect(n.state).toBe('succeeded');
  });

  it('redelivers the same id and body as duplicates', async () => {
    const { notification: n } = await pay.notifyTransaction(merchant.mchId, { ...pay1, duplicates: 2 });
    await (await pay.notifier()).redeliver(n.id);
    expect(n.attempts.map((a) => a.injected)).toEqual([undefined, 'duplicate', 'duplicate', 'redelivery']);
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
    expect(n.state).toBe('succeeded');
  });
});

describe('Pay negative variants', () => {
  const keyPem = async (): Promise<string> =>
    new X509Certificate((await pay.keyring()).describe().certificatePem).publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString();

  it('sends WECHATPAY/SIGNTEST/ probes once and expects a rejection', async () => {
    rx.respond(() => ({ status: 401, body: '{"code":"SIGN_ERROR","message":"bad signature"}' }));
    const { notification: n } = await pay.notifyTransaction(merchant.mchId, { ...pay1, probe: true });
    expect(String(rx.received[0]!.headers['wechatpay-signature'])).toMatch(/^WECHATPAY\/SIGNTEST\//);
    expect(n).toMatchObject({ variant: 'probe', state: 'done', expectation: 'reject', expectationMet: true });
    expect(n.nextAttemptAt).toBeUndefined();
    expect(pay.ledger.order(merchant.mchId, pay1.outTradeNo)).toBeUndefined();
    rx.respond(() => ({ status: 204 }));
    expect((await pay.notifyTransaction(merchant.mchId, { ...pay1, probe: true })).notification.expectationMet).toBe(
      false,
    );
  });

  it('signs a stale timestamp correctly', async () => {
    clock.advance(1000);
    const before = clock.nowSeconds();
    await pay.notifyTransaction(merchant.mchId, { ...pay1, stale: 900 });
    const req = rx.received[0]!;
    // The clock runs in real time too: the signed timestamp lies between the two readings, 900 s back.
    const ts = Number(req.headers['wechatpay-timestamp']);
    expect(ts).toBeGreaterThanOrEqual(before - 900);
    expect(ts).toBeLessThanOrEqual(clock.nowSeconds() - 900);
    expect(verifies(req, await keyPem())).toBe(true);
  });

  it('tampers: re-encrypted body, pretty-printed body, bad signature, unknown serial', async () => {
    await pay.notifyTransaction(merchant.mchId, { ...pay1, tamper: 'body' });
    await pay.notifyTransaction(merchant.mchId, { ...pay1, tamper: 'whitespace' });
    await pay.notifyTransaction(merchant.mchId, { ...pay1, tamper: 'signature' });
    await pay.notifyTransaction(merchant.mchId, { ...pay1, tamper: 'serial' });
    const [body, ws, sig, serial] = rx.received;
    const pem = await keyPem();
    expect(verifies(body!, pem)).toBe(false);
    const forged = JSON.parse(decryptResource(KEY, (JSON.parse(body!.body) as NotificationBody).resource)) as {
      amount: { total: number };
    };
    expect(forged.amount.total).toBe(199900);
    expect(verifies(ws!, pem)).toBe(false);
    expect(verifies(ws!, pem, JSON.stringify(JSON.parse(ws!.body)))).toBe(true);
    expect(verifies(sig!, pem)).toBe(false);
    expect(verifies(serial!, pem)).toBe(true);
    expect(serial!.headers['wechatpay-serial']).not.toBe((await pay.keyring()).describe().serialNo);
    await expect(pay.notifyTransaction(merchant.mchId, { ...pay1, tamper: 'body', probe: true })).rejects.toMatchObject(
      { code: 'INVALID_BODY' },
    );
  });
});

describe('Refund notifications', () => {
  it('refuses a refund for an unknown order or above what is left', async () => {
    await expect(pay.notifyRefund(merchant.mchId, { outTradeNo: 'NOPE' })).rejects.toMatchObject({
      code: 'ORDER_NOT_FOUND',
    });
    await pay.notifyTransaction(merchant.mchId, pay1);
    await expect(pay.notifyRefund(merchant.mchId, { outTradeNo: pay1.outTradeNo, refund: 2000 })).rejects.toMatchObject(
      { code: 'REFUND_EXCEEDS_ORDER' },
    );
  });

  it('sends REFUND.SUCCESS/ABNORMAL/CLOSED with AAD refund and the §8.2 fields', async () => {
    await pay.notifyTransaction(merchant.mchId, pay1);
    await pay.notifyRefund(merchant.mchId, { outTradeNo: pay1.outTradeNo, refund: 999 });
    await pay.notifyRefund(merchant.mchId, { outTradeNo: pay1.outTradeNo, status: 'ABNORMAL' });
    await pay.notifyRefund(merchant.mchId, { outTradeNo: pay1.outTradeNo, status: 'CLOSED' });
    const bodies = rx.received.slice(1).map((r) => JSON.parse(r.body) as NotificationBody);
    expect(bodies.map((b) => [b.event_type, b.summary])).toEqual([
      ['REFUND.SUCCESS', '退款成功'],
      ['REFUND.ABNORMAL', '退款异常'],
      ['REFUND.CLOSED', '退款关闭'],
    ]);
    const first = JSON.parse(decryptResource(KEY, bodies[0]!.resource)) as Record<string, unknown>;
    expect(bodies[0]!.resource.associated_data).toBe('refund');
    expect(first).toMatchObject({
      mchid: '1900000001',
      out_trade_no: 'ORDER000001',
      refund_status: 'SUCCESS',
      amount: { total: 1999, refund: 999, payer_total: 1999, payer_refund: 999 },
    });
    expect(first.refund_id).toMatch(/^50\d{26}$/);
    expect(first.success_time).toBeDefined();
    const abnormal = JSON.parse(decryptResource(KEY, bodies[1]!.resource)) as Record<string, unknown>;
    expect(abnormal).toMatchObject({ refund_status: 'ABNORMAL', amount: { refund: 1000 } });
    expect(abnormal.success_time).toBeUndefined();
    expect(pay.ledger.order(merchant.mchId, pay1.outTradeNo)!.trade_state).toBe('REFUND');
  });
});
