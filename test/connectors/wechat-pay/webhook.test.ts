import { rmSync, unlinkSync } from 'fs';
import { join } from 'path';
import { handleWebhook, PayKeyLoadError, preloadPayKeys, wechatPayConnector } from '../../../connectors/wechat-pay';
import { decryptResource } from '../../../connectors/wechat-pay/notification-crypto';
import { accepted, rejectionOf, request } from '../webhook-helpers';
import { CERT_SERIAL, encryptResource, makePayKeys, type PayKeys, PUB_KEY_ID, signNotification } from './pay-fixtures';

const MCH = '1900000109';
const APPID = 'wxd678efh567hg6787';
const API_V3_KEY = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
const NOW = 1716000000;
const OPTS = { maxSkewSeconds: 300 };

let keys: PayKeys;
let account: {
  mchId: string;
  apiV3Key: string;
  appIds: string[];
  platformCertPaths: string[];
  platformPublicKeyPath: string;
  platformPublicKeyId: string;
};

beforeAll(() => {
  keys = makePayKeys();
  account = {
    mchId: MCH,
    apiV3Key: API_V3_KEY,
    appIds: [],
    platformCertPaths: [keys.certPath],
    platformPublicKeyPath: keys.publicKeyPath,
    platformPublicKeyId: PUB_KEY_ID,
  };
});
afterAll(() => rmSync(keys.dir, { recursive: true, force: true }));

const transaction = (over: Record<string, unknown> = {}) => ({
  appid: APPID,
  mchid: MCH,
  out_trade_no: 'T20240518001',
  transaction_id: '4200000000202405180000000001',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'OTHERS',
  attach: 'campaign=618',
  success_time: '2024-05-18T10:40:05+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 1999, payer_total: 1899, currency: 'CNY', payer_currency: 'CNY' },
  ...over,
});
const refund = (status: 'SUCCESS' | 'ABNORMAL' | 'CLOSED') => ({
  mchid: MCH,
  out_trade_no: 'T20240518001',
  transaction_id: '4200000000202405180000000001',
  out_refund_no: 'R1',
  refund_id: '50000000382019052709732678859',
  refund_status: status,
  ...(status === 'SUCCESS' ? { success_time: '2024-05-19T09:00:00+08:00' } : {}),
  user_received_account: '招商银行信用卡0403',
  amount: { total: 1999, refund: 500, payer_total: 1899, payer_refund: 500 },
});

function notification(
  eventType: string,
  resource: unknown,
  id = 'EV-2018022511223320873',
  aad = eventType.startsWith('REFUND') ? 'refund' : 'transaction',
): string {
  return JSON.stringify({
    id,
    create_time: '2024-05-18T10:40:06+08:00',
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: '支付成功',
    resource: encryptResource(API_V3_KEY, JSON.stringify(resource), aad),
  });
}

type Mode = 'cert' | 'pubkey';
function deliver(body: string, mode: Mode = 'cert', ts = NOW, acct = account, now = NOW) {
  const signed =
    mode === 'cert'
      ? signNotification(body, keys.certKey, CERT_SERIAL, ts)
      : signNotification(body, keys.publicKeySigner, PUB_KEY_ID, ts);
  return handleWebhook(acct, request('POST', {}, signed.body, signed.headers, now), OPTS);
}

describe('WeChat Pay webhook', () => {
  it('rejects a notification signed by an unknown key with 401 SIGN_ERROR', async () => {
    const signed = signNotification(
      notification('TRANSACTION.SUCCESS', transaction()),
      keys.strangerKey,
      CERT_SERIAL,
      NOW,
    );
    const r = await rejectionOf(() =>
      handleWebhook(account, request('POST', {}, signed.body, signed.headers, NOW), OPTS),
    );
    expect([r.status, r.code]).toEqual([401, 'SIGN_ERROR']);
  });

  it('decrypts the §11 AES-GCM vector', () => {
    const plaintext = decryptResource('0123456789abcdef0123456789abcdef', {
      algorithm: 'AEAD_AES_256_GCM',
      nonce: 'abcdefghijkl',
      associated_data: 'transaction',
      ciphertext:
        'Eu6myr+6GaECeJdOZPZ6BX5lij2Vohspf9pbw6Eor54J6prefQGx4A8pw4Iiseaw8SDSwJlkDdmqkDsswI+ydLGOqRL04SaV2EvGI/1ky+AOGg==',
    });
    expect(plaintext).toBe('{"out_trade_no":"T1","trade_state":"SUCCESS","amount":{"total":1}}');
  });

  it('accepts TRANSACTION.SUCCESS signed with the platform certificate → payment.succeeded, ack 204', async () => {
    const out = await accepted(deliver(notification('TRANSACTION.SUCCESS', transaction())));
    expect(out.dedupeKey).toBe(`pay:${MCH}:EV-2018022511223320873`);
    expect(out.kind).toBe('pay.TRANSACTION.SUCCESS');
    expect(out.ack).toEqual({ status: 204, body: '' });
    expect(out.events).toEqual([
      {
        kind: 'payment.succeeded',
        channel: 'wechat-pay',
        account: MCH,
        occurredAt: '2024-05-18T02:40:05.000Z',
        appId: APPID,
        outTradeNo: 'T20240518001',
        transactionId: '4200000000202405180000000001',
        tradeType: 'JSAPI',
        tradeState: 'SUCCESS',
        amountTotal: 1999,
        payerTotal: 1899,
        currency: 'CNY',
        payerOpenid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
        successTime: '2024-05-18T02:40:05.000Z',
        attach: 'campaign=618',
      },
    ]);
    expect(JSON.parse(out.raw)).toMatchObject({
      id: 'EV-2018022511223320873',
      event_type: 'TRANSACTION.SUCCESS',
      resource: { out_trade_no: 'T20240518001' },
    });
  });

  it('accepts a notification signed with the WeChat Pay public key (PUB_KEY_ID_…)', async () => {
    const out = await accepted(deliver(notification('TRANSACTION.SUCCESS', transaction(), 'EV-pk'), 'pubkey'));
    expect(out.dedupeKey).toBe(`pay:${MCH}:EV-pk`);
  });

  it('matches certificate serials case-insensitively and rejects unknown serials and key ids', async () => {
    const body = notification('TRANSACTION.SUCCESS', transaction());
    const lower = signNotification(body, keys.certKey, CERT_SERIAL.toLowerCase(), NOW);
    expect((await accepted(handleWebhook(account, request('POST', {}, body, lower.headers, NOW), OPTS))).kind).toBe(
      'pay.TRANSACTION.SUCCESS',
    );
    for (const serial of ['6157F09EFDC096DE15EBE81A47057A7232F1B8E1', 'PUB_KEY_ID_0000000000000000000000000000']) {
      const s = signNotification(body, keys.certKey, serial, NOW);
      expect(
        await rejectionOf(() => handleWebhook(account, request('POST', {}, body, s.headers, NOW), OPTS)),
      ).toMatchObject({ status: 401, code: 'SIGN_ERROR', message: 'unknown Wechatpay-Serial' });
    }
    const noPubKey = { ...account, platformPublicKeyPath: undefined, platformPublicKeyId: undefined };
    const s = signNotification(body, keys.publicKeySigner, PUB_KEY_ID, NOW);
    expect(
      (await rejectionOf(() => handleWebhook(noPubKey, request('POST', {}, body, s.headers, NOW), OPTS))).status,
    ).toBe(401);
  });

  it('fails WECHATPAY/SIGNTEST/ probes, missing headers and a foreign signature type with 401', async () => {
    const body = notification('TRANSACTION.SUCCESS', transaction());
    const s = signNotification(body, keys.certKey, CERT_SERIAL, NOW);
    const probe = { ...s.headers, 'wechatpay-signature': `WECHATPAY/SIGNTEST/${s.headers['wechatpay-signature']}` };
    expect(await rejectionOf(() => handleWebhook(account, request('POST', {}, body, probe, NOW), OPTS))).toMatchObject({
      status: 401,
      code: 'SIGN_ERROR',
    });
    const { 'wechatpay-nonce': _n, ...noNonce } = s.headers;
    expect(
      (await rejectionOf(() => handleWebhook(account, request('POST', {}, body, noNonce, NOW), OPTS))).status,
    ).toBe(401);
    const sm = { ...s.headers, 'wechatpay-signature-type': 'WECHATPAY2-SM2-WITH-SM3' };
    expect((await rejectionOf(() => handleWebhook(account, request('POST', {}, body, sm, NOW), OPTS))).status).toBe(
      401,
    );
  });

  it('verifies the raw bytes: the same JSON re-serialised is refused', async () => {
    const body = notification('TRANSACTION.SUCCESS', transaction());
    const s = signNotification(body, keys.certKey, CERT_SERIAL, NOW);
    const reformatted = JSON.stringify(JSON.parse(body), null, 2);
    expect(
      await rejectionOf(() => handleWebhook(account, request('POST', {}, reformatted, s.headers, NOW), OPTS)),
    ).toMatchObject({ status: 401, code: 'SIGN_ERROR' });
  });

  it('finds headers whatever their case', async () => {
    const body = notification('TRANSACTION.SUCCESS', transaction());
    const s = signNotification(body, keys.certKey, CERT_SERIAL, NOW);
    const titled = Object.fromEntries(
      Object.entries(s.headers).map(([k, v]) => [k.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()), v]),
    );
    expect((await accepted(handleWebhook(account, request('POST', {}, body, titled, NOW), OPTS))).kind).toBe(
      'pay.TRANSACTION.SUCCESS',
    );
  });

  it('rejects a stale timestamp with 401 unless the window is disabled', async () => {
    const body = notification('TRANSACTION.SUCCESS', transaction());
    expect(await rejectionOf(() => deliver(body, 'cert', NOW - 301))).toMatchObject({
      status: 401,
      code: 'STALE_TIMESTAMP',
    });
    const s = signNotification(body, keys.certKey, CERT_SERIAL, NOW - 3600);
    expect(
      (await accepted(handleWebhook(account, request('POST', {}, body, s.headers, NOW), { maxSkewSeconds: 0 }))).kind,
    ).toBe('pay.TRANSACTION.SUCCESS');
  });

  it('rejects a resource that does not decrypt under the APIv3 key with 401', async () => {
    const body = notification('TRANSACTION.SUCCESS', transaction());
    const other = { ...account, apiV3Key: 'ffffffffffffffffffffffffffffffff' };
    expect(await rejectionOf(() => deliver(body, 'cert', NOW, other))).toMatchObject({
      status: 401,
      code: 'DECRYPT_ERROR',
    });
    const wrongAad = notification('TRANSACTION.SUCCESS', transaction(), 'EV-x', 'transaction');
    const tampered = wrongAad.replace('"associated_data":"transaction"', '"associated_data":"refund"');
    expect(await rejectionOf(() => deliver(tampered))).toMatchObject({ status: 401, code: 'DECRYPT_ERROR' });
  });

  it('rejects a signed body that is not a notification with 400', async () => {
    for (const body of [
      'not json',
      '{"id":"x"}',
      JSON.stringify({
        id: 'x',
        create_time: 't',
        event_type: 'TRANSACTION.SUCCESS',
        resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext: '', nonce: 'n' },
      }),
    ]) {
      expect(await rejectionOf(() => deliver(body))).toMatchObject({ status: 400, code: 'MALFORMED' });
    }
    expect(
      await rejectionOf(() => deliver(notification('TRANSACTION.SUCCESS', { mchid: MCH, appid: APPID }))),
    ).toMatchObject({ status: 400 });
  });

  it('rejects a resource for another merchant or an unlisted appid with 401', async () => {
    expect(
      await rejectionOf(() => deliver(notification('TRANSACTION.SUCCESS', transaction({ mchid: '1900000999' })))),
    ).toMatchObject({ status: 401, code: 'MCHID_MISMATCH' });
    const listed = { ...account, appIds: ['wxother0000000001'] };
    expect(
      await rejectionOf(() => deliver(notification('TRANSACTION.SUCCESS', transaction()), 'cert', NOW, listed)),
    ).toMatchObject({ status: 401, code: 'APPID_NOT_ALLOWED' });
    const allowed = { ...account, appIds: [APPID] };
    expect(
      (await accepted(deliver(notification('TRANSACTION.SUCCESS', transaction()), 'cert', NOW, allowed))).events[0],
    ).toMatchObject({ appId: APPID });
  });

  it.each(['SUCCESS', 'ABNORMAL', 'CLOSED'] as const)('maps REFUND.%s to payment.refunded', async (status) => {
    const out = await accepted(deliver(notification(`REFUND.${status}`, refund(status), `EV-R-${status}`), 'pubkey'));
    expect(out.kind).toBe(`pay.REFUND.${status}`);
    expect(out.dedupeKey).toBe(`pay:${MCH}:EV-R-${status}`);
    expect(out.events).toEqual([
      {
        kind: 'payment.refunded',
        channel: 'wechat-pay',
        account: MCH,
        occurredAt: status === 'SUCCESS' ? '2024-05-19T01:00:00.000Z' : '2024-05-18T02:40:06.000Z',
        outTradeNo: 'T20240518001',
        transactionId: '4200000000202405180000000001',
        outRefundNo: 'R1',
        refundId: '50000000382019052709732678859',
        refundStatus: status,
        amountTotal: 1999,
        amountRefund: 500,
        ...(status === 'SUCCESS' ? { successTime: '2024-05-19T01:00:00.000Z' } : {}),
      },
    ]);
  });

  it('accepts an unknown event type as unsupported (acked, so WeChat stops retrying)', async () => {
    const out = await accepted(
      deliver(notification('MCHTRANSFER.BILL.FINISHED', { mchid: MCH, out_bill_no: 'b1' }, 'EV-t', 'mch_payment')),
    );
    expect(out.events).toEqual([
      expect.objectContaining({ kind: 'unsupported', what: 'pay.MCHTRANSFER.BILL.FINISHED' }),
    ]);
    expect(out.ack.status).toBe(204);
  });

  it('answers 405 to GET', async () => {
    expect((await rejectionOf(() => handleWebhook(account, request('GET', {}), OPTS))).status).toBe(405);
  });

  it('reads each key file once: deleting it after the first use changes nothing; a missing file is a load error', async () => {
    const local = makePayKeys();
    try {
      const acct = { ...account, platformCertPaths: [local.certPath], platformPublicKeyPath: local.publicKeyPath };
      expect(preloadPayKeys(acct)).toEqual({ certificateSerials: [CERT_SERIAL], publicKeyId: PUB_KEY_ID });
      unlinkSync(local.certPath);
      unlinkSync(local.publicKeyPath);
      const body = notification('TRANSACTION.SUCCESS', transaction());
      const s = signNotification(body, local.publicKeySigner, PUB_KEY_ID, NOW);
      expect((await accepted(handleWebhook(acct, request('POST', {}, body, s.headers, NOW), OPTS))).kind).toBe(
        'pay.TRANSACTION.SUCCESS',
      );
      const missing = { ...account, platformCertPaths: [join(local.dir, 'absent.pem')] };
      expect(() => preloadPayKeys(missing)).toThrow(PayKeyLoadError);
    } finally {
      rmSync(local.dir, { recursive: true, force: true });
    }
  });

  it('declares POST /wechat/pay/:mchId with Pay-style rejections', () => {
    expect(wechatPayConnector.webhook).toEqual({
      path: '/wechat/pay/:mchId',
      param: 'mchId',
      methods: ['POST'],
      rejectionFormat: 'pay',
    });
  });
});
