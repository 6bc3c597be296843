import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { Clock } from '../../../emulator/clock';
import { PayKeyring } from '../../../emulator/pay/pay-keys';
import { PayNotifier, type PayVariant } from '../../../emulator/pay/pay-notifier';
import type { TransactionResource } from '../../../emulator/pay/notification.builder';
import type { NormalizedEvent } from '../../../connectors/common/normalized-event';
import { WebhookRejection } from '../../../connectors/common/webhook-types';
import { handleWebhook } from '../../../connectors/wechat-pay';

/**
 * The emulator's WeChat Pay notifier (its own DER-built certificate and PUB_KEY_ID key) against the connector,
 * over real HTTP on 127.0.0.1: the two sides were written separately from wechat-api.md §8.
 */
const MCH = '1900000109';
const APPID = 'wxd678efh567hg6787';
const API_V3_KEY = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';

let dir: string;
let server: Server;
let url: string;
let notifier: PayNotifier;
const seen: NormalizedEvent[] = [];

beforeAll(async () => {
  const clock = new Clock();
  const keyring = await PayKeyring.create(clock, 'certificate');
  dir = mkdtempSync(join(tmpdir(), 'siyu-pay-emu-'));
  const keys = keyring.describe();
  writeFileSync(join(dir, 'cert.pem'), keys.certificatePem);
  writeFileSync(join(dir, 'pub.pem'), keys.publicKeyPem);
  const account = {
    mchId: MCH,
    apiV3Key: API_V3_KEY,
    appIds: [APPID],
    platformCertPaths: [join(dir, 'cert.pem')],
    platformPublicKeyPath: join(dir, 'pub.pem'),
    platformPublicKeyId: keys.publicKeyId,
  };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
      try {
        const out = handleWebhook(
          account,
          { method: 'POST', query: {}, headers, rawBody: Buffer.concat(chunks), nowSeconds: clock.nowSeconds() },
          { maxSkewSeconds: 300 },
        );
        if (out.type === 'accept') seen.push(...out.events);
        res.writeHead(out.type === 'accept' ? out.ack.status : out.reply.status).end();
      } catch (e) {
        const status = e instanceof WebhookRejection ? e.status : 500;
        const code = e instanceof WebhookRejection ? e.code : 'INTERNAL';
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ code, message: 'rejected' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat/pay/${MCH}`;
  notifier = new PayNotifier(clock, keyring);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const tx = (outTradeNo: string): TransactionResource => ({
  mchid: MCH,
  appid: APPID,
  out_trade_no: outTradeNo,
  transaction_id: '4200000000202405180000000001',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'OTHERS',
  attach: '',
  success_time: '2024-05-18T10:40:05+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
});

describe('emulator Pay notifier → connector', () => {
  it.each(['probe', 'stale', 'tamper-body', 'tamper-whitespace', 'tamper-signature', 'unknown-serial'] as PayVariant[])(
    'rejects the %s variant with a 4xx',
    async (variant) => {
      const record = await notifier.notify(MCH, 'TRANSACTION.SUCCESS', tx(`T-${variant}`), {
        url,
        apiV3Key: API_V3_KEY,
        variant,
      });
      expect(record.expectationMet).toBe(true);
      expect(record.attempts[0]!.status).toBe(401);
    },
  );

  it.each(['certificate', 'public-key'] as const)('accepts a notification signed in %s mode with 204', async (mode) => {
    const record = await notifier.notify(MCH, 'TRANSACTION.SUCCESS', tx(`T-${mode}`), {
      url,
      apiV3Key: API_V3_KEY,
      mode,
    });
    expect(record.state).toBe('succeeded');
    expect(record.attempts[0]!.status).toBe(204);
    expect(seen).toContainEqual(
      expect.objectContaining({ kind: 'payment.succeeded', outTradeNo: `T-${mode}`, appId: APPID, amountTotal: 100 }),
    );
  });

  it('accepts a refund notification', async () => {
    const refund = {
      mchid: MCH,
      out_trade_no: 'T-r',
      transaction_id: '4200000000202405180000000002',
      out_refund_no: 'R-1',
      refund_id: '50000000382019052709732678859',
      refund_status: 'SUCCESS' as const,
      success_time: '2024-05-19T09:00:00+08:00',
      user_received_account: '支付用户零钱',
      amount: { total: 100, refund: 40, payer_total: 100, payer_refund: 40 },
    };
    const record = await notifier.notify(MCH, 'REFUND.SUCCESS', refund, { url, apiV3Key: API_V3_KEY });
    expect(record.state).toBe('succeeded');
    expect(seen).toContainEqual(
      expect.objectContaining({ kind: 'payment.refunded', outRefundNo: 'R-1', amountRefund: 40 }),
    );
  });
});
