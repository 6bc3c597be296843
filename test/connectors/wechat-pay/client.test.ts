import { X509Certificate, createPublicKey, generateKeyPairSync } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import path from 'path';
import axios, { type AxiosInstance } from 'axios';
import { WechatPayClient } from '../../../connectors/wechat-pay/client';
import { payApiError } from '../../../connectors/wechat-pay/errors';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';

/** The Pay client (wechatpay-node-v3 signing, our transport) against the emulator's merchant API. */
describe('WechatPayClient', () => {
  let emu: RunningEmulator;
  let control: AxiosInstance;
  let notifySink: http.Server;
  let notifyUrl: string;
  let dir: string;
  let merchant: { mchId: string; apiV3Key: string; appId: string };
  let client: WechatPayClient;

  beforeAll(async () => {
    emu = await startEmulator({ followers: 10, wecomContacts: 5, wecomStaff: 2 });
    control = axios.create({ baseURL: `${emu.url}/_emulator`, validateStatus: () => true });
    merchant = (await control.get('/apps')).data.merchants[0];
    // Transactions are created through the notifier, which needs somewhere to deliver: a sink answering 204.
    notifySink = http.createServer((_req, res) => res.writeHead(204).end()).listen(0, '127.0.0.1');
    await new Promise((r) => notifySink.once('listening', r));
    notifyUrl = `http://127.0.0.1:${(notifySink.address() as AddressInfo).port}/notify`;
    dir = mkdtempSync(path.join(tmpdir(), 'siyu-pay-'));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(path.join(dir, 'apiclient_key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    client = new WechatPayClient(account(), { baseDelayMs: 1, maxDelayMs: 5 });
  });
  afterAll(async () => {
    await emu.close();
    await new Promise((r) => notifySink.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const account = (over: Record<string, unknown> = {}) => ({
    mchId: merchant.mchId,
    apiV3Key: merchant.apiV3Key,
    privateKeyPath: path.join(dir, 'apiclient_key.pem'),
    certSerial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    appIds: [merchant.appId],
    apiBase: `${emu.url}/api.mch.weixin.qq.com`,
    ...over,
  });

  it('rejects an unknown order with NOT_FOUND (ORDER_NOT_EXIST, HTTP 404)', async () => {
    await expect(client.queryByOutTradeNo('NO_SUCH_ORDER_1')).rejects.toMatchObject({
      category: 'NOT_FOUND',
      remoteCode: 'ORDER_NOT_EXIST',
      httpStatus: 404,
      errcode: null,
    });
  });

  it('refuses to build without the merchant private key or serial', () => {
    expect(() => new WechatPayClient(account({ privateKeyPath: undefined }))).toThrow(
      expect.objectContaining({ code: 'NOT_CONFIGURED', missing: 'privateKeyPath' }),
    );
    expect(() => new WechatPayClient(account({ certSerial: undefined }))).toThrow(
      expect.objectContaining({ code: 'NOT_CONFIGURED', missing: 'certSerial' }),
    );
  });

  it('queries a paid order by out_trade_no with a signed request', async () => {
    const r = await control.post(`/pay/${merchant.mchId}/transactions`, {
      openid: 'oPayer000000000000000000000A',
      amount: 1234,
      outTradeNo: 'SIYU_ORDER_0001',
      url: notifyUrl,
    });
    expect(r.status).toBe(200);
    const order = await client.queryByOutTradeNo('SIYU_ORDER_0001');
    expect(order).toMatchObject({
      mchid: merchant.mchId,
      out_trade_no: 'SIYU_ORDER_0001',
      trade_state: 'SUCCESS',
      payer: { openid: 'oPayer000000000000000000000A' },
      amount: { total: 1234 },
    });
  });

  it('downloads and decrypts the platform certificates; none in public-key mode', async () => {
    const keys = (await control.get('/pay/keys')).data as { serialNo: string; certificatePem: string };
    const certs = await client.downloadCertificates();
    expect(certs.map((c) => c.serialNo)).toContain(keys.serialNo);
    const mine = certs.find((c) => c.serialNo === keys.serialNo)!;
    const expected = new X509Certificate(keys.certificatePem).publicKey.export({ type: 'spki', format: 'pem' });
    expect(createPublicKey(mine.publicKeyPem).export({ type: 'spki', format: 'pem' })).toBe(expected);
    expect(mine.expireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    await control.post('/pay/settings', { mode: 'public-key' });
    await expect(client.downloadCertificates()).resolves.toEqual([]);
    await control.post('/pay/settings', { mode: 'certificate' });
  });
});

describe('WechatPayClient retries', () => {
  it('retries a 5xx SYSTEM_ERROR and stops at a permanent answer', async () => {
    const statuses = [500, 404];
    const paths: string[] = [];
    const stub = http
      .createServer((req, res) => {
        paths.push(req.url ?? '');
        const status = statuses.shift() ?? 404;
        res
          .writeHead(status, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ code: status === 500 ? 'SYSTEM_ERROR' : 'ORDER_NOT_EXIST', message: 'x' }));
      })
      .listen(0, '127.0.0.1');
    await new Promise((r) => stub.once('listening', r));
    const dir = mkdtempSync(path.join(tmpdir(), 'siyu-pay-'));
    const keyPath = path.join(dir, 'k.pem');
    writeFileSync(
      keyPath,
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    try {
      const c = new WechatPayClient(
        {
          mchId: '1900000001',
          apiV3Key: 'k'.repeat(32),
          privateKeyPath: keyPath,
          certSerial: 'ABC',
          appIds: [],
          apiBase: `http://127.0.0.1:${(stub.address() as AddressInfo).port}`,
        },
        { baseDelayMs: 1, maxDelayMs: 2 },
      );
      await expect(c.queryByOutTradeNo('T1')).rejects.toMatchObject({ category: 'NOT_FOUND' });
      expect(paths).toEqual([
        '/v3/pay/transactions/out-trade-no/T1?mchid=1900000001',
        '/v3/pay/transactions/out-trade-no/T1?mchid=1900000001',
      ]);
    } finally {
      await new Promise((r) => stub.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('payApiError', () => {
  it('maps WeChat Pay codes first and the HTTP status as fallback', () => {
    expect(payApiError('q', 500, { code: 'SYSTEM_ERROR', message: '系统错误' })).toMatchObject({
      category: 'TEMPORARY',
      retryable: true,
      errmsg: '系统错误',
    });
    expect(payApiError('q', 429, { code: 'FREQUENCY_LIMITED', message: '频率超限' })).toMatchObject({
      category: 'RATE_LIMITED',
      retryable: true,
    });
    expect(payApiError('q', 401, { code: 'SIGN_ERROR', message: '签名错误' })).toMatchObject({
      category: 'AUTH_FAILED',
      retryable: false,
    });
    expect(payApiError('q', 502, 'Bad Gateway')).toMatchObject({
      category: 'TEMPORARY',
      retryable: true,
      remoteCode: undefined,
    });
    expect(payApiError('q', 400, { code: 'SOMETHING_NEW', message: '?' })).toMatchObject({
      category: 'INVALID_REQUEST',
      remoteCode: 'SOMETHING_NEW',
    });
  });
});
