import http from 'http';
import type { AddressInfo } from 'net';
import Koa from 'koa';
import Router from '@koa/router';
import { MessageCipher } from '../../../connectors/common/crypto/message-cipher';
import { createCallbackControlRouter } from '../../../emulator/callbacks/control.router';
import type { DeliveryRecord } from '../../../emulator/callbacks/delivery-log';
import { Clock } from '../../../emulator/clock';
import type { CallbackTarget, SenderDeps } from '../../../emulator/plugin-types';
import { startReceiver, type Receiver } from './receiver.helper';

// The control API mounted the way emulator/app.ts mounts it (prefix /_emulator/callbacks).
const AES = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
let rx: Receiver;
let server: http.Server;
let base: string;
const targets: CallbackTarget[] = [];
const clock = new Clock();

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{
  status: number;
  json: { delivery: DeliveryRecord; deliveries: DeliveryRecord[]; error: { code: string; message: string } };
}> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

beforeAll(async () => {
  rx = await startReceiver();
  targets.push(
    {
      kind: 'official-account',
      id: 'wxoa0000000000001',
      token: 'tok',
      encodingAESKey: AES,
      mode: 'safe',
      format: 'xml',
      originalId: 'gh_oa',
      url: rx.url,
    },
    {
      kind: 'mini-program',
      id: 'wxmp0000000000001',
      token: 'tok',
      encodingAESKey: AES,
      mode: 'safe',
      format: 'json',
      originalId: 'gh_mp',
      url: rx.url,
    },
    {
      kind: 'wecom',
      id: 'ww00000000000001',
      token: 'tok',
      encodingAESKey: AES,
      mode: 'safe',
      format: 'xml',
      url: rx.url,
    },
  );
  const deps: SenderDeps = {
    clock,
    resolveTarget: (kind, id) => targets.find((t) => t.kind === kind && t.id === id),
    resolveMerchant: () => undefined,
  };
  const root = new Router();
  const cb = createCallbackControlRouter(deps);
  root.use('/_emulator/callbacks', cb.routes(), cb.allowedMethods());
  const app = new Koa();
  app.use(root.routes());
  const handle = app.callback();
  server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_emulator/callbacks`;
});
afterAll(async () => {
  await rx.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  rx.received.length = 0;
  rx.respond(() => ({ body: 'success' }));
});

function decrypt(target: CallbackTarget, encrypt: string): string {
  return new MessageCipher({ token: 'tok', encodingAESKey: AES, receiveId: target.id }).open(encrypt).message;
}
const encryptOf = (xml: string): string => /<Encrypt><!\[CDATA\[(.+)\]\]><\/Encrypt>/.exec(xml)![1]!;

describe('callback control API', () => {
  it('rejects an unknown app, an invalid body and an unknown kind', async () => {
    expect((await call('POST', '/oa/wxnope/event', { type: 'unsubscribe', openid: 'o1' })).json.error.code).toBe(
      'TARGET_NOT_FOUND',
    );
    const bad = await call('POST', '/oa/wxoa0000000000001/event', { type: 'dance', openid: 'o1' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_BODY');
    expect((await call('POST', '/oa/wxoa0000000000001/event', { type: 'CLICK', openid: 'o1' })).status).toBe(400);
    expect((await call('POST', '/fax/1/verify-url', {})).status).toBe(404);
    expect(rx.received).toHaveLength(0);
  });

  it('sends a QR-code subscribe and returns the recorded attempts', async () => {
    const { status, json } = await call('POST', '/oa/wxoa0000000000001/event', {
      type: 'subscribe',
      openid: 'oU1',
      eventKey: '42',
      ticket: 'TK',
      createTime: 1700000000,
    });
    expect(status).toBe(200);
    expect(json.delivery).toMatchObject({
      kind: 'official-account',
      label: 'event:subscribe',
      delivered: true,
      attempts: [{ outcome: 'delivered', reply: { kind: 'ack' } }],
    });
    const plain = decrypt(targets[0]!, encryptOf(rx.received[0]!.body));
    expect(plain).toContain('<CreateTime>1700000000</CreateTime>');
    expect(plain).toContain('<EventKey><![CDATA[qrscene_42]]></EventKey>\n<Ticket><![CDATA[TK]]></Ticket>');
    expect(rx.received[0]!.query.openid).toBe('oU1');
  });

  it('retries through the API with a short timeout and per-call mode', async () => {
    rx.respond(() => ({ status: 503 }));
    const { json } = await call('POST', '/oa/wxoa0000000000001/message', {
      type: 'location',
      openid: 'oU1',
      mode: 'plaintext',
      timeoutMs: 200,
    });
    expect(json.delivery.attempts).toHaveLength(3);
    expect(json.delivery.delivered).toBe(false);
    expect(rx.received[0]!.body).toContain('<Location_X>23.134521</Location_X>');
    expect(rx.received[0]!.query.encrypt_type).toBeUndefined();
  });

  it('sends Mini Program messages as JSON by default and XML on request', async () => {
    await call('POST', '/mp/wxmp0000000000001/message', {
      type: 'text',
      openid: 'oM1',
      content: '你好',
      msgId: '9223372036854775807',
    });
    const outer = JSON.parse(rx.received[0]!.body) as { Encrypt: string };
    expect(JSON.parse(decrypt(targets[1]!, outer.Encrypt).replace(/"MsgId":(\d+)/, '"MsgId":"$1"'))).toMatchObject({
      MsgType: 'text',
      Content: '你好',
      MsgId: '9223372036854775807',
    });
    await call('POST', '/mp/wxmp0000000000001/message', {
      type: 'user_enter_tempsession',
      openid: 'oM1',
      format: 'xml',
    });
    expect(decrypt(targets[1]!, encryptOf(rx.received[1]!.body))).toContain(
      '<Event><![CDATA[user_enter_tempsession]]></Event>',
    );
  });

  it('sends WeCom contact and tag changes', async () => {
    const c = await call('POST', '/wecom/ww00000000000001/external-contact', {
      changeType: 'transfer_fail',
      userId: 'zhangsan',
      externalUserId: 'wmX',
    });
    expect(c.json.delivery.label).toBe('change_external_contact:transfer_fail');
    expect(decrypt(targets[2]!, encryptOf(rx.received[0]!.body))).toContain(
      '<FailReason><![CDATA[customer_refused]]></FailReason>',
    );
    expect(Object.keys(rx.received[0]!.query).sort()).toEqual(['msg_signature', 'nonce', 'timestamp']);
    await call('POST', '/wecom/ww00000000000001/external-tag', {
      id: 'etG',
      tagType: 'tag_group',
      changeType: 'delete',
    });
    expect(decrypt(targets[2]!, encryptOf(rx.received[1]!.body))).toContain(
      '<TagType><![CDATA[tag_group]]></TagType>\n<ChangeType><![CDATA[delete]]></ChangeType>',
    );
  });

  it('runs URL verification and lists, fetches and clears deliveries', async () => {
    rx.respond((r) => ({ body: r.query.echostr }));
    const v = await call('POST', '/oa/wxoa0000000000001/verify-url');
    expect(v.json.delivery).toMatchObject({ label: 'verify-url', delivered: true });
    const list = await call('GET', '/deliveries?kind=oa&limit=2');
    expect(list.json.deliveries.length).toBeLessThanOrEqual(2);
    expect(list.json.deliveries.at(-1)!.id).toBe(v.json.delivery.id);
    expect((await call('GET', `/deliveries/${v.json.delivery.id}`)).json.delivery.label).toBe('verify-url');
    expect((await call('GET', '/deliveries/cb_999999')).status).toBe(404);
    expect((await call('DELETE', '/deliveries')).status).toBe(204);
    expect((await call('GET', '/deliveries')).json.deliveries).toEqual([]);
  });
});
