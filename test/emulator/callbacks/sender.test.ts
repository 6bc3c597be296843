import { MessageCipher } from '../../../connectors/common/crypto/message-cipher';
import { aesKeyFromEncodingAESKey, decryptMessage } from '../../../connectors/common/crypto/message-crypto';
import { sha1Signature } from '../../../connectors/common/crypto/signature';
import { sendCallback } from '../../../emulator/callbacks/callback.sender';
import { DeliveryLog } from '../../../emulator/callbacks/delivery-log';
import { CallbackInputError } from '../../../emulator/callbacks/oa-event.builder';
import { verifyCallbackUrl } from '../../../emulator/callbacks/url-verification';
import { Clock } from '../../../emulator/clock';
import type { CallbackTarget } from '../../../emulator/plugin-types';
import { startReceiver, type Receiver } from './receiver.helper';

// Delivery semantics of wechat-api.md §4.4/§5.10 against a local koa receiver (short timeouts, no real 5 s waits).
const AES = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const msg = {
  ToUserName: 'gh_abc',
  FromUserName: 'oUSER',
  CreateTime: 1700000000,
  MsgType: 'text',
  Content: 'hi',
  MsgId: 4363689963896700987n,
};
let rx: Receiver;
let oa: CallbackTarget;

beforeEach(async () => {
  rx = await startReceiver();
  oa = {
    kind: 'official-account',
    id: 'wx1234567890abcdef',
    token: 'tok',
    encodingAESKey: AES,
    mode: 'safe',
    format: 'xml',
    originalId: 'gh_abc',
    url: rx.url,
  };
});
afterEach(() => rx.close());

function reply(target: CallbackTarget, plain: string, tamper?: 'signature'): string {
  const cipher = new MessageCipher({ token: target.token, encodingAESKey: AES, receiveId: target.id });
  const env = cipher.sealReply(plain, '1700000009', '99');
  return tamper ? env.replace(/<MsgSignature><!\[CDATA\[[0-9a-f]{8}/, '<MsgSignature><![CDATA[00000000') : env;
}
const passive =
  '<xml><ToUserName><![CDATA[oUSER]]></ToUserName><FromUserName><![CDATA[gh_abc]]></FromUserName><CreateTime>1700000009</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ok]]></Content></xml>';

describe('sendCallback delivery', () => {
  it('refuses a target without a callback URL', async () => {
    await expect(sendCallback({ ...oa, url: undefined }, msg)).rejects.toThrow(CallbackInputError);
    expect(rx.received).toHaveLength(0);
  });

  it('stops after a `success` ack and records it', async () => {
    const log = new DeliveryLog();
    const d = await sendCallback(oa, msg, { log });
    expect(d.delivered).toBe(true);
    expect(d.attempts).toHaveLength(1);
    expect(d.attempts[0]).toMatchObject({
      attempt: 1,
      outcome: 'delivered',
      status: 200,
      body: 'success',
      reply: { kind: 'ack', ok: true },
    });
    expect(log.list()).toEqual([d]);
    expect(rx.received[0]!.query.encrypt_type).toBe('aes');
  });

  it('sends the identical request 3 times in total when every attempt times out', async () => {
    rx.respond(() => 'hang');
    // The receiver hangs, so every attempt times out whatever the limit; a limit long enough for a loaded machine
    // to hand each request to the receiver keeps the count of received requests exact.
    const d = await sendCallback(oa, msg, { timeoutMs: 1500 });
    expect(d.delivered).toBe(false);
    expect(d.attempts.map((a) => a.outcome)).toEqual(['timeout', 'timeout', 'timeout']);
    expect(rx.received).toHaveLength(3);
    const [first, ...rest] = rx.received;
    for (const r of rest) {
      expect(r.body).toBe(first!.body);
      expect(r.query).toEqual(first!.query);
    }
  });

  it('retries a 500 and stops at the first 2xx; the number of deliveries is configurable', async () => {
    rx.respond((_, i) => (i < 3 ? { status: 500, body: 'boom' } : { body: '' }));
    const d = await sendCallback(oa, msg, { deliveries: 5, timeoutMs: 1000 });
    expect(d.attempts.map((a) => [a.outcome, a.status])).toEqual([
      ['http-error', 500],
      ['http-error', 500],
      ['http-error', 500],
      ['delivered', 200],
    ]);
    expect(d.attempts[0]!.body).toBe('boom');
    expect(d.delivered).toBe(true);
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
  });

  it('records network errors when nobody listens', async () => {
    const d = await sendCallback(oa, msg, { url: 'http://127.0.0.1:9/none', deliveries: 2, timeoutMs: 500 });
    expect(d.attempts.map((a) => a.outcome)).toEqual(['network-error', 'network-error']);
  });

  it('injects duplicate deliveries after the ack', async () => {
    const d = await sendCallback(oa, msg, { duplicates: 2 });
    expect(d.attempts.map((a) => a.injected)).toEqual([undefined, 'duplicate', 'duplicate']);
    expect(rx.received).toHaveLength(3);
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
  });
});

describe('passive reply verification', () => {
  it('flags an encrypted reply whose MsgSignature does not match', async () => {
    rx.respond(() => ({ body: reply(oa, passive, 'signature') }));
    const d = await sendCallback(oa, msg);
    expect(d.delivered).toBe(true);
    expect(d.attempts[0]!.reply).toMatchObject({
      kind: 'invalid',
      ok: false,
      reason: expect.stringContaining('MsgSignature'),
    });
  });

  it('accepts a well-formed encrypted reply and records its plaintext', async () => {
    rx.respond(() => ({ body: reply(oa, passive) }));
    const d = await sendCallback(oa, msg);
    expect(d.attempts[0]!.reply).toEqual({ kind: 'encrypted-reply', ok: true, message: passive });
  });

  it('rejects a reply encrypted for another appid', async () => {
    rx.respond(() => ({ body: reply({ ...oa, id: 'wxother' }, passive) }));
    expect((await sendCallback(oa, msg)).attempts[0]!.reply).toMatchObject({
      ok: false,
      reason: expect.stringContaining('ReceiveId'),
    });
  });

  it('requires encryption in safe mode, accepts plain replies in plaintext and compatible mode', async () => {
    rx.respond(() => ({ body: passive }));
    expect((await sendCallback(oa, msg)).attempts[0]!.reply).toMatchObject({
      ok: false,
      reason: 'safe mode requires an encrypted reply',
    });
    expect((await sendCallback(oa, msg, { mode: 'plaintext' })).attempts[0]!.reply).toMatchObject({
      kind: 'plain-reply',
      ok: true,
    });
    expect((await sendCallback(oa, msg, { mode: 'compatible' })).attempts[0]!.reply).toMatchObject({
      kind: 'plain-reply',
      ok: true,
    });
  });

  it('flags a reply that does not swap To/From', async () => {
    rx.respond(() => ({ body: passive.replace('oUSER', 'oOTHER') }));
    expect((await sendCallback(oa, msg, { mode: 'plaintext' })).attempts[0]!.reply).toMatchObject({
      ok: false,
      reason: expect.stringContaining('ToUserName'),
    });
  });
});

describe('URL verification', () => {
  it('fails an OA gateway that does not echo echostr verbatim', async () => {
    rx.respond(() => ({ body: 'nope' }));
    const d = await verifyCallbackUrl(oa);
    expect(d.delivered).toBe(false);
    expect(d.attempts[0]!.reply).toMatchObject({ kind: 'echo', ok: false });
  });

  it('OA: signature over token/timestamp/nonce, raw echostr echoed', async () => {
    rx.respond((r) => ({
      body: r.query.signature === sha1Signature('tok', r.query.timestamp!, r.query.nonce!) ? r.query.echostr : 'bad',
    }));
    const d = await verifyCallbackUrl(oa, { clock: new Clock() });
    expect(d.method).toBe('GET');
    expect(Object.keys(rx.received[0]!.query).sort()).toEqual(['echostr', 'nonce', 'signature', 'timestamp']);
    expect(d.delivered).toBe(true);
  });

  it('WeCom: encrypted echostr must be decrypted and returned; echoing the ciphertext fails', async () => {
    const corp: CallbackTarget = {
      kind: 'wecom',
      id: 'ww0000000000000001',
      token: 'tok',
      encodingAESKey: AES,
      mode: 'safe',
      format: 'xml',
      url: rx.url,
    };
    rx.respond((r) => ({ body: r.query.echostr }));
    expect((await verifyCallbackUrl(corp)).delivered).toBe(false);
    rx.respond((r) => {
      const ok = r.query.msg_signature === sha1Signature('tok', r.query.timestamp!, r.query.nonce!, r.query.echostr!);
      const { message, receiveId } = decryptMessage(aesKeyFromEncodingAESKey(AES), r.query.echostr!);
      return { body: ok && receiveId === corp.id ? message : 'bad' };
    });
    const d = await verifyCallbackUrl(corp);
    expect(d.delivered).toBe(true);
    expect(d.attempts[0]!.body).toBe(d.expectedEcho);
  });

  it('WeCom: an answer slower than 1 s is a failure', async () => {
    const corp: CallbackTarget = {
      kind: 'wecom',
      id: 'ww0000000000000001',
      token: 'tok',
      encodingAESKey: AES,
      mode: 'safe',
      format: 'xml',
      url: rx.url,
    };
    rx.respond(() => 'hang');
    const d = await verifyCallbackUrl(corp, { timeoutMs: 50 });
    expect(d.attempts[0]!.outcome).toBe('timeout');
    expect(d.delivered).toBe(false);
  });
});
