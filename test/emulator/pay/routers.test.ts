import http from 'http';
import type { AddressInfo } from 'net';
import { createVerify, generateKeyPairSync, X509Certificate } from 'crypto';
import Koa from 'koa';
import Router from '@koa/router';
import WxPay from 'wechatpay-node-v3';
import { Clock } from '../../../emulator/clock';
import { createPayApiRouter } from '../../../emulator/pay/api.router';
import { createPayControlRouter } from '../../../emulator/pay/control.router';
import { buildSelfSignedCertificate } from '../../../emulator/pay/platform-certificate';
import type { PayMerchant, SenderDeps } from '../../../emulator/plugin-types';
import { startReceiver, type Receiver } from '../callbacks/receiver.helper';

// The Pay routers mounted as emulator/app.ts mounts them, called over HTTP and through wechatpay-node-v3.
const KEY = '0123456789abcdef0123456789abcdef';
const MCH = '1900000001';
let rx: Receiver;
let server: http.Server;
let root: string;
const merchant: PayMerchant = { mchId: MCH, appId: 'wxoa0000000000001', apiV3Key: KEY };
const deps: SenderDeps = {
  clock: new Clock(),
  resolveTarget: () => undefined,
  resolveMerchant: (id) => (id === MCH ? merchant : undefined),
};

interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> & { code?: string; data?: Array<Record<string, unknown>> };
}
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const res = await fetch(`${root}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as Res['json']) : {} };
}

/** A merchant client of wechatpay-node-v3 whose hard-coded host is rewritten to the emulator. */
function merchantClient(): WxPay {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = buildSelfSignedCertificate({
    privateKey,
    notBefore: new Date(Date.now() - 864e5),
    notAfter: new Date(Date.now() + 864e5),
    commonName: MCH,
  });
  const client = new WxPay({
    appid: merchant.appId,
    mchid: MCH,
    publicKey: Buffer.from(cert.pem),
    privateKey: Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' })),
    key: KEY,
  });
  const rewrite = (url: string): string =>
    url.replace('https://api.mch.weixin.qq.com', `${root}/api.mch.weixin.qq.com`);
  const get = async (
    url: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; data: unknown; headers: Record<string, string> }> => {
    const res = await fetch(rewrite(url), { headers });
    return { status: res.status, data: (await res.json()) as unknown, headers: Object.fromEntries(res.headers) };
  };
  client.createHttp({ get, post: get, upload: get });
  return client;
}

beforeAll(async () => {
  rx = await startReceiver(() => ({ status: 204 }));
  merchant.notifyUrl = rx.url;
  const router = new Router();
  const control = createPayControlRouter(deps);
  const api = createPayApiRouter(deps);
  router.use('/_emulator/pay', control.routes(), control.allowedMethods());
  router.use('/api.mch.weixin.qq.com', api.routes(), api.allowedMethods());
  const app = new Koa();
  app.use(router.routes());
  const handle = app.callback();
  server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await rx.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('Pay merchant API', () => {
  it('rejects a request without an Authorization header, with a signed error', async () => {
    const res = await call('GET', '/api.mch.weixin.qq.com/v3/certificates');
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('SIGN_ERROR');
    expect(res.headers.get('wechatpay-signature')).toBeTruthy();
  });

  it('serves /v3/certificates to wechatpay-node-v3, which decrypts the certificate with the APIv3 key', async () => {
    const keys = (await call('GET', '/_emulator/pay/keys')).json as {
      certificatePem: string;
      serialNo: string;
      publicKeyPem: string;
      publicKeyId: string;
    };
    expect(new X509Certificate(keys.certificatePem).serialNumber).toBe(keys.serialNo);
    const certs = (await merchantClient().get_certificates(KEY)) as Array<{
      serial_no: string;
      publicKey: string;
      effective_time: string;
      encrypt_certificate: { associated_data: string };
    }>;
    expect(certs).toHaveLength(1);
    expect(certs[0]!.serial_no).toBe(keys.serialNo);
    expect(certs[0]!.encrypt_certificate.associated_data).toBe('certificate');
    expect(certs[0]!.effective_time).toMatch(/\+08:00$/);
    const platformKey = new X509Certificate(keys.certificatePem).publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString();
    expect(certs[0]!.publicKey.replace(/\s/g, '')).toBe(platformKey.replace(/\s/g, ''));
  });

  it('answers the order query with signed responses the library verifies', async () => {
    const client = merchantClient();
    expect((await client.query({ out_trade_no: 'MISSING001' })).status).toBe(404);
    const paid = await call('POST', `/_emulator/pay/${MCH}/transactions`, {
      openid: 'oPayer',
      amount: 500,
      outTradeNo: 'ORDER000002',
    });
    expect(paid.status).toBe(200);
    const res = await fetch(`${root}/api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/ORDER000002?mchid=${MCH}`, {
      headers: {
        authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${MCH}",nonce_str="n",timestamp="1",serial_no="S",signature="x"`,
      },
    });
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({
      out_trade_no: 'ORDER000002',
      trade_state: 'SUCCESS',
      amount: { total: 500 },
      payer: { openid: 'oPayer' },
    });
    const ok = await client.verifySign({
      timestamp: res.headers.get('wechatpay-timestamp')!,
      nonce: res.headers.get('wechatpay-nonce')!,
      serial: res.headers.get('wechatpay-serial')!,
      signature: res.headers.get('wechatpay-signature')!,
      body: text,
      apiSecret: KEY,
    });
    expect(ok).toBe(true);
    expect((await client.query({ out_trade_no: 'ORDER000002' })).data).toMatchObject({ trade_state: 'SUCCESS' });
    await call('POST', `/_emulator/pay/${MCH}/refunds`, { outTradeNo: 'ORDER000002' });
    expect((await client.query({ out_trade_no: 'ORDER000002' })).data).toMatchObject({ trade_state: 'REFUND' });
  });

  it('checks mchid on the order query', async () => {
    const auth = {
      authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${MCH}",nonce_str="n",timestamp="1",serial_no="S",signature="x"`,
    };
    expect(
      (await call('GET', '/api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/ORDER000002', undefined, auth)).json
        .code,
    ).toBe('PARAM_ERROR');
    expect(
      (
        await call(
          'GET',
          '/api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/ORDER000002?mchid=1',
          undefined,
          auth,
        )
      ).status,
    ).toBe(400);
  });

  it('lists no certificates and signs with the PUB_KEY_ID in public-key mode; rotation lists two', async () => {
    const auth = {
      authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${MCH}",nonce_str="n",timestamp="1",serial_no="S",signature="x"`,
    };
    expect((await call('POST', '/_emulator/pay/settings', { mode: 'sideways' })).status).toBe(400);
    await call('POST', '/_emulator/pay/settings', { mode: 'public-key' });
    const keys = (await call('GET', '/_emulator/pay/keys')).json as { publicKeyPem: string; publicKeyId: string };
    const res = await call('GET', '/api.mch.weixin.qq.com/v3/certificates', undefined, auth);
    expect(res.json.data).toEqual([]);
    expect(res.headers.get('wechatpay-serial')).toBe(keys.publicKeyId);
    const signed = `${res.headers.get('wechatpay-timestamp')}\n${res.headers.get('wechatpay-nonce')}\n${res.text}\n`;
    expect(
      createVerify('RSA-SHA256')
        .update(signed)
        .verify(keys.publicKeyPem, res.headers.get('wechatpay-signature')!, 'base64'),
    ).toBe(true);
    await call('POST', '/_emulator/pay/settings', { mode: 'certificate' });
    const rotated = await call('POST', '/_emulator/pay/keys/rotate');
    const list = (await call('GET', '/api.mch.weixin.qq.com/v3/certificates', undefined, auth)).json.data!;
    expect(list.map((c) => c.serial_no)).toEqual([expect.any(String), rotated.json.serialNo]);
    expect((await call('GET', '/_emulator/pay/keys')).json.serialNo).toBe(rotated.json.serialNo);
  });
});

describe('Pay control API', () => {
  it('rejects an unknown merchant and an invalid body', async () => {
    expect((await call('POST', '/_emulator/pay/42/transactions', { openid: 'o', amount: 1 })).json).toMatchObject({
      error: { code: 'MERCHANT_NOT_FOUND' },
    });
    expect((await call('POST', `/_emulator/pay/${MCH}/transactions`, { openid: 'o', amount: -1 })).json).toMatchObject({
      error: { code: 'INVALID_BODY' },
    });
  });

  it('notifies, retries on /retries/run after the clock moves, and lists notifications', async () => {
    rx.respond(() => ({ status: 500 }));
    const first = await call('POST', `/_emulator/pay/${MCH}/transactions`, { openid: 'oPayer', amount: 100 });
    const id = (first.json.notification as { id: string }).id;
    expect(first.json.notification).toMatchObject({ state: 'retrying', attempts: [{ status: 500 }] });
    expect(((await call('POST', '/_emulator/pay/retries/run')).json.delivered as unknown[]).length).toBe(0);
    rx.respond(() => ({ status: 204 }));
    deps.clock.advance(15);
    const run = await call('POST', '/_emulator/pay/retries/run');
    expect(run.json.delivered).toEqual([expect.objectContaining({ id, state: 'succeeded' })]);
    expect((await call('GET', `/_emulator/pay/notifications/${id}`)).json.notification).toMatchObject({ retries: 1 });
    expect((await call('POST', `/_emulator/pay/notifications/${id}/redeliver`)).json.notification).toMatchObject({
      attempts: [{}, {}, { injected: 'redelivery' }],
    });
    const list = (await call('GET', `/_emulator/pay/notifications?mchId=${MCH}`)).json.notifications as Array<{
      id: string;
    }>;
    expect(list.map((n) => n.id)).toContain(id);
    expect((await call('GET', '/_emulator/pay/notifications/none')).status).toBe(404);
    expect((await call('DELETE', '/_emulator/pay/notifications')).status).toBe(204);
  });
});
