import * as wecomCrypto from '@wecom/crypto';
import WXBizMsgCrypt from 'wechat-crypto';
import { MessageCipher } from '../../../connectors/common/crypto/message-cipher';
import { sha1Signature } from '../../../connectors/common/crypto/signature';
import { buildXml } from '../../../connectors/common/xml';
import { handleWebhook, officialAccountConnector } from '../../../connectors/official-account';
import { accepted, envelopeFields, kinds, NOW, OPTS, plainQuery, rejectionOf, request, seal } from '../webhook-helpers';

const APPID = 'wx4f4bc4dec97d474b';
const TOKEN = 'AAAAA';
const AES = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const OLD_AES = 'a'.repeat(43);
const OPENID = 'oMIE-5rF4c2Wc6IvxJbQ8a0AAAAA';

const plainAccount = { appId: APPID, token: TOKEN };
const safeAccount = {
  appId: APPID,
  token: TOKEN,
  encodingAESKey: AES,
  previousEncodingAESKey: OLD_AES,
  originalId: 'gh_abc',
};

const message = (fields: Record<string, string | number>): string =>
  buildXml({ ToUserName: 'gh_abc', FromUserName: OPENID, CreateTime: NOW, ...fields });
const post = (xml: string, query = plainQuery(TOKEN)) => request('POST', query, xml);
const plain = (xml: string) => accepted(handleWebhook(plainAccount, post(xml), OPTS));

describe('OA webhook', () => {
  it('rejects a POST with a bad signature (401, nothing accepted)', async () => {
    const r = await rejectionOf(() =>
      handleWebhook(
        plainAccount,
        post(message({ MsgType: 'text', Content: 'hi', MsgId: '1' }), {
          ...plainQuery(TOKEN),
          signature: '0'.repeat(40),
        }),
        OPTS,
      ),
    );
    expect([r.status, r.code]).toEqual([401, 'BAD_SIGNATURE']);
    const missing = await rejectionOf(() => handleWebhook(plainAccount, post(message({ MsgType: 'text' }), {}), OPTS));
    expect(missing.status).toBe(401);
  });

  describe('URL verification (GET)', () => {
    it('rejects a wrong signature with 401', async () => {
      const q = {
        signature: 'f464b24fc39322e44b38aa78f5edd27bd1441697',
        timestamp: '1714036504',
        nonce: '1514711492',
        echostr: '4375120948345356249',
      };
      expect((await rejectionOf(() => handleWebhook(plainAccount, request('GET', q), OPTS))).status).toBe(401);
    });
    it('echoes the raw echostr for the §11 vector, also for an account in safe mode', async () => {
      const q = {
        signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696',
        timestamp: '1714036504',
        nonce: '1514711492',
        echostr: '4375120948345356249',
      };
      for (const account of [plainAccount, safeAccount]) {
        expect(await handleWebhook(account, request('GET', q), OPTS)).toEqual({
          type: 'reply',
          reply: { status: 200, body: '4375120948345356249', contentType: 'text/plain' },
        });
      }
    });
    it('rejects a stale verification and a missing echostr', async () => {
      const q = {
        signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696',
        timestamp: '1714036504',
        nonce: '1514711492',
        echostr: 'x',
      };
      const stale = await rejectionOf(() => handleWebhook(plainAccount, request('GET', q, '', {}, NOW + 301), OPTS));
      expect([stale.status, stale.code]).toEqual([401, 'STALE_TIMESTAMP']);
      const { echostr: _e, ...noEcho } = q;
      expect((await rejectionOf(() => handleWebhook(plainAccount, request('GET', noEcho), OPTS))).status).toBe(400);
    });
  });

  describe('plaintext mode', () => {
    it('maps a text message with its 64-bit MsgId and acks success', async () => {
      const xml = message({ MsgType: 'text', Content: 'hello', MsgId: '9223372036854775807' });
      const out = await plain(xml);
      expect(out.dedupeKey).toBe(`oa:${APPID}:msg:9223372036854775807`);
      expect(out.kind).toBe('oa.message.text');
      expect(out.raw).toBe(xml);
      expect(out.ack).toEqual({ status: 200, body: 'success', contentType: 'text/plain' });
      expect(out.events).toEqual([
        {
          kind: 'message.received',
          channel: 'official-account',
          account: APPID,
          occurredAt: new Date(NOW * 1000).toISOString(),
          openid: OPENID,
          msgType: 'text',
          msgId: '9223372036854775807',
          content: 'hello',
          fields: {},
        },
      ]);
    });

    it.each([
      ['image', { PicUrl: 'http://x/p.jpg', MediaId: 'm1' }],
      ['voice', { MediaId: 'm2', Format: 'amr' }],
      ['video', { MediaId: 'm3', ThumbMediaId: 't3' }],
      ['shortvideo', { MediaId: 'm4', ThumbMediaId: 't4' }],
      ['location', { Location_X: '23.134521', Location_Y: '113.358803', Scale: '20', Label: 'here' }],
      ['link', { Title: 't', Description: 'd', Url: 'http://x' }],
    ])('maps a %s message with its extra fields', async (msgType, extra) => {
      const out = await plain(message({ MsgType: msgType, MsgId: '100', ...extra }));
      expect(out.kind).toBe(`oa.message.${msgType}`);
      expect(out.events[0]).toMatchObject({ kind: 'message.received', msgType, msgId: '100', fields: extra });
    });

    it('maps subscribe without a scene to identity.observed + subscription.changed', async () => {
      const out = await plain(message({ MsgType: 'event', Event: 'subscribe', EventKey: '' }));
      expect(out.kind).toBe('oa.event.subscribe');
      expect(out.dedupeKey).toBe(`oa:${APPID}:event:${OPENID}:${NOW}:subscribe:`);
      expect(out.events).toEqual([
        {
          kind: 'identity.observed',
          channel: 'official-account',
          account: APPID,
          occurredAt: new Date(NOW * 1000).toISOString(),
          identities: [{ type: 'oa_openid', scope: APPID, value: OPENID }],
          source: 'oa.subscribe',
        },
        {
          kind: 'subscription.changed',
          channel: 'official-account',
          account: APPID,
          occurredAt: new Date(NOW * 1000).toISOString(),
          openid: OPENID,
          subscribed: true,
        },
      ]);
    });

    it('strips qrscene_ from a parametric-QR subscribe and keeps the ticket', async () => {
      const out = await plain(
        message({ MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_123123', Ticket: 'TICKET' }),
      );
      expect(out.events[1]).toMatchObject({
        kind: 'subscription.changed',
        subscribed: true,
        qrScene: '123123',
        ticket: 'TICKET',
      });
    });

    it('maps unsubscribe', async () => {
      const out = await plain(message({ MsgType: 'event', Event: 'unsubscribe' }));
      expect(out.events).toEqual([
        expect.objectContaining({ kind: 'subscription.changed', openid: OPENID, subscribed: false }),
      ]);
    });

    it('maps SCAN, CLICK, VIEW and TEMPLATESENDJOBFINISH to behaviour.recorded on the oa_openid', async () => {
      const subject = { type: 'oa_openid', scope: APPID, value: OPENID };
      const scan = await plain(message({ MsgType: 'event', Event: 'SCAN', EventKey: '123123', Ticket: 'T' }));
      expect(scan.events).toEqual([
        expect.objectContaining({
          kind: 'behaviour.recorded',
          subject,
          type: 'qr_scan',
          properties: { scene: '123123', ticket: 'T' },
        }),
      ]);
      const click = await plain(message({ MsgType: 'event', Event: 'CLICK', EventKey: 'V1001_TODAY_MUSIC' }));
      expect(click.events[0]).toMatchObject({ type: 'menu_click', properties: { key: 'V1001_TODAY_MUSIC' } });
      const view = await plain(
        message({ MsgType: 'event', Event: 'VIEW', EventKey: 'http://www.qq.com/', MenuId: '208' }),
      );
      expect(view.events[0]).toMatchObject({
        type: 'menu_view',
        properties: { url: 'http://www.qq.com/', menuId: '208' },
      });
      expect(view.dedupeKey).toBe(`oa:${APPID}:event:${OPENID}:${NOW}:VIEW:http%3A//www.qq.com/`);
      const tpl = await plain(
        message({ MsgType: 'event', Event: 'TEMPLATESENDJOBFINISH', MsgID: '200163836', Status: 'failed:user block' }),
      );
      expect(tpl.events[0]).toMatchObject({
        type: 'template_send_finished',
        properties: { msgId: '200163836', status: 'failed:user block' },
      });
    });

    it('maps an unknown event to unsupported and still accepts it', async () => {
      const out = await plain(message({ MsgType: 'event', Event: 'some_future_event', Detail: 'x' }));
      expect(kinds(out.events)).toEqual(['unsupported']);
      expect(out.events[0]).toMatchObject({ what: 'oa.event.some_future_event' });
    });

    it('gives retries one key and distinct same-second events distinct keys', async () => {
      const a = message({ MsgType: 'event', Event: 'TEMPLATESENDJOBFINISH', MsgID: '1', Status: 'success' });
      const b = message({ MsgType: 'event', Event: 'TEMPLATESENDJOBFINISH', MsgID: '2', Status: 'success' });
      expect((await plain(a)).dedupeKey).toBe((await plain(a)).dedupeKey);
      expect((await plain(a)).dedupeKey).not.toBe((await plain(b)).dedupeKey);
      const sub = await plain(message({ MsgType: 'event', Event: 'subscribe' }));
      const unsub = await plain(message({ MsgType: 'event', Event: 'unsubscribe' }));
      const click1 = await plain(message({ MsgType: 'event', Event: 'CLICK', EventKey: 'A' }));
      const click2 = await plain(message({ MsgType: 'event', Event: 'CLICK', EventKey: 'B' }));
      expect(new Set([sub.dedupeKey, unsub.dedupeKey, click1.dedupeKey, click2.dedupeKey]).size).toBe(4);
    });

    it('rejects a DTD or entity with 400 and a body without CreateTime/FromUserName with 400', async () => {
      const xxe =
        '<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><MsgType>text</MsgType><Content>&e;</Content></xml>';
      expect(await rejectionOf(() => handleWebhook(plainAccount, post(xxe), OPTS))).toMatchObject({
        status: 400,
        code: 'MALFORMED',
      });
      const noTime = buildXml({ ToUserName: 'gh', FromUserName: OPENID, MsgType: 'text', MsgId: '1' });
      expect((await rejectionOf(() => handleWebhook(plainAccount, post(noTime), OPTS))).status).toBe(400);
    });

    it('applies the timestamp window (0 disables it)', async () => {
      const xml = message({ MsgType: 'text', Content: 'x', MsgId: '5' });
      const staleQuery = plainQuery(TOKEN, String(NOW - 301));
      expect(await rejectionOf(() => handleWebhook(plainAccount, post(xml, staleQuery), OPTS))).toMatchObject({
        status: 401,
        code: 'STALE_TIMESTAMP',
      });
      expect(
        (await accepted(handleWebhook(plainAccount, post(xml, staleQuery), { maxSkewSeconds: 0 }))).dedupeKey,
      ).toContain(':msg:5');
      expect(
        (await accepted(handleWebhook(plainAccount, post(xml, plainQuery(TOKEN, String(NOW + 300))), OPTS))).kind,
      ).toBe('oa.message.text');
    });
  });

  describe('safe and compatible mode', () => {
    const safeBody = (encrypt: string): string => buildXml({ ToUserName: 'gh_abc', Encrypt: encrypt });
    const inner = message({ MsgType: 'text', Content: '你好', MsgId: '6000000000000000001' });

    it('rejects a bad msg_signature with 401', async () => {
      const { encrypt, query } = seal(TOKEN, AES, APPID, inner);
      const r = await rejectionOf(() =>
        handleWebhook(safeAccount, post(safeBody(encrypt), { ...query, msg_signature: 'f'.repeat(40) }), OPTS),
      );
      expect([r.status, r.code]).toEqual([401, 'BAD_SIGNATURE']);
    });

    it('decrypts a safe-mode push and maps the plaintext', async () => {
      const { encrypt, query } = seal(TOKEN, AES, APPID, inner);
      const out = await accepted(handleWebhook(safeAccount, post(safeBody(encrypt), query), OPTS));
      expect(out.raw).toBe(inner);
      expect(out.dedupeKey).toBe(`oa:${APPID}:msg:6000000000000000001`);
      expect(out.events[0]).toMatchObject({ kind: 'message.received', content: '你好', openid: OPENID });
      expect(out.ack.body).toBe('success');
    });

    it('uses the decrypted fields of a compatible-mode push, not its unauthenticated plaintext copy', async () => {
      const { encrypt, query } = seal(TOKEN, AES, APPID, inner);
      const tampered = buildXml({
        ToUserName: 'gh_abc',
        FromUserName: 'oATTACKER',
        CreateTime: NOW,
        MsgType: 'text',
        Content: 'forged',
        MsgId: '1',
        Encrypt: encrypt,
      });
      const out = await accepted(handleWebhook(safeAccount, post(tampered, query), OPTS));
      expect(out.events[0]).toMatchObject({ openid: OPENID, content: '你好' });
    });

    it('accepts a push sealed with the previous EncodingAESKey (rotation)', async () => {
      const { encrypt, query } = seal(TOKEN, OLD_AES, APPID, inner);
      const out = await accepted(handleWebhook(safeAccount, post(safeBody(encrypt), query), OPTS));
      expect(out.events[0]).toMatchObject({ content: '你好' });
    });

    it('rejects a ciphertext for another appid (ReceiveId) and one under an unknown key with 401', async () => {
      const foreign = seal(TOKEN, AES, 'wx0000000000000000', inner);
      expect(
        await rejectionOf(() => handleWebhook(safeAccount, post(safeBody(foreign.encrypt), foreign.query), OPTS)),
      ).toMatchObject({
        status: 401,
        code: 'DECRYPT_FAILED',
        message: expect.stringMatching(/ReceiveId/),
      });
      const unknownKey = seal(TOKEN, 'b'.repeat(43), APPID, inner);
      expect(
        (
          await rejectionOf(() =>
            handleWebhook(safeAccount, post(safeBody(unknownKey.encrypt), unknownKey.query), OPTS),
          )
        ).status,
      ).toBe(401);
    });

    it('rejects a stale encrypted push', async () => {
      const { encrypt, query } = seal(TOKEN, AES, APPID, inner, String(NOW - 1000));
      expect(await rejectionOf(() => handleWebhook(safeAccount, post(safeBody(encrypt), query), OPTS))).toMatchObject({
        status: 401,
        code: 'STALE_TIMESTAMP',
      });
    });

    it('rejects a DTD inside the decrypted payload with 400', async () => {
      const { encrypt, query } = seal(TOKEN, AES, APPID, '<!DOCTYPE x [<!ENTITY a "b">]><xml><A>&a;</A></xml>');
      expect((await rejectionOf(() => handleWebhook(safeAccount, post(safeBody(encrypt), query), OPTS))).status).toBe(
        400,
      );
    });

    it('refuses a plaintext post on an account with a key, and a safe-mode post on one without', async () => {
      const plainPost = post(message({ MsgType: 'text', Content: 'x', MsgId: '1' }));
      expect(await rejectionOf(() => handleWebhook(safeAccount, plainPost, OPTS))).toMatchObject({
        status: 401,
        code: 'ENCRYPTION_REQUIRED',
      });
      const { encrypt, query } = seal(TOKEN, AES, APPID, inner);
      expect(await rejectionOf(() => handleWebhook(plainAccount, post(safeBody(encrypt), query), OPTS))).toMatchObject({
        status: 401,
        code: 'NO_AES_KEY',
      });
    });

    it('lets an account without a key read a compatible-mode push under the plain signature (migration)', async () => {
      const { encrypt, query } = seal(TOKEN, AES, APPID, inner);
      const compatible = message({ MsgType: 'text', Content: 'plain copy', MsgId: '77', Encrypt: encrypt });
      const out = await accepted(handleWebhook(plainAccount, post(compatible, query), OPTS));
      expect(out.events[0]).toMatchObject({ content: 'plain copy', msgId: '77' });
      const forged = await rejectionOf(() =>
        handleWebhook(plainAccount, post(compatible, { ...query, signature: 'x' }), OPTS),
      );
      expect(forged.status).toBe(401);
    });

    it('refuses a payload addressed to another original id', async () => {
      const other = buildXml({
        ToUserName: 'gh_other',
        FromUserName: OPENID,
        CreateTime: NOW,
        MsgType: 'text',
        MsgId: '1',
      });
      const { encrypt, query } = seal(TOKEN, AES, APPID, other);
      expect(await rejectionOf(() => handleWebhook(safeAccount, post(safeBody(encrypt), query), OPTS))).toMatchObject({
        status: 401,
        code: 'WRONG_ACCOUNT',
      });
    });
  });

  describe('interop with @wecom/crypto and wechat-crypto', () => {
    const inner = message({ MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_9' });
    const timestamp = String(NOW);
    const nonce = '924856700';
    const body = (encrypt: string): string => buildXml({ ToUserName: 'gh_abc', Encrypt: encrypt });

    it('rejects an @wecom/crypto ciphertext whose signature was made with another token', async () => {
      const encrypt = wecomCrypto.encrypt(AES, inner, APPID);
      const query = {
        msg_signature: wecomCrypto.getSignature('other', timestamp, nonce, encrypt),
        timestamp,
        nonce,
        encrypt_type: 'aes',
      };
      expect((await rejectionOf(() => handleWebhook(safeAccount, post(body(encrypt), query), OPTS))).status).toBe(401);
    });

    it('accepts pushes encrypted and signed by @wecom/crypto', async () => {
      const encrypt = wecomCrypto.encrypt(AES, inner, APPID);
      const query = {
        msg_signature: wecomCrypto.getSignature(TOKEN, timestamp, nonce, encrypt),
        timestamp,
        nonce,
        encrypt_type: 'aes',
      };
      const out = await accepted(handleWebhook(safeAccount, post(body(encrypt), query), OPTS));
      expect(out.events[1]).toMatchObject({ kind: 'subscription.changed', qrScene: '9' });
    });

    it('accepts pushes encrypted and signed by wechat-crypto', async () => {
      const lib = new WXBizMsgCrypt(TOKEN, AES, APPID);
      const encrypt = lib.encrypt(inner);
      const query = {
        msg_signature: lib.getSignature(timestamp, nonce, encrypt),
        timestamp,
        nonce,
        encrypt_type: 'aes',
      };
      const out = await accepted(handleWebhook(safeAccount, post(body(encrypt), query), OPTS));
      expect(out.raw).toBe(inner);
    });

    it("Siyu's encrypted reply envelope decrypts and verifies with both libraries", () => {
      const reply = buildXml({
        ToUserName: OPENID,
        FromUserName: 'gh_abc',
        CreateTime: NOW,
        MsgType: 'text',
        Content: '欢迎 welcome',
      });
      const envelope = new MessageCipher({ token: TOKEN, encodingAESKey: AES, receiveId: APPID }).sealReply(
        reply,
        timestamp,
        nonce,
      );
      const f = envelopeFields(envelope);
      expect(f.signature).toBe(sha1Signature(TOKEN, f.timestamp, f.nonce, f.encrypt));
      expect(wecomCrypto.getSignature(TOKEN, f.timestamp, f.nonce, f.encrypt)).toBe(f.signature);
      expect(wecomCrypto.decrypt(AES, f.encrypt)).toMatchObject({ message: reply, id: APPID });
      const lib = new WXBizMsgCrypt(TOKEN, AES, APPID);
      expect(lib.getSignature(f.timestamp, f.nonce, f.encrypt)).toBe(f.signature);
      expect(lib.decrypt(f.encrypt)).toEqual({ message: reply, id: APPID });
    });
  });

  describe('connector declaration', () => {
    it('answers 404 for an unknown appid and routes a known one', async () => {
      const accounts = [
        {
          kind: 'official-account',
          ...plainAccount,
          appSecret: 's',
          openPlatformId: 'default',
          tokenMode: 'stable' as const,
          apiBase: 'x',
          oauthBase: 'y',
        },
      ];
      expect(
        await rejectionOf(() => officialAccountConnector.receive(accounts, 'wxunknown', request('GET', {}), OPTS)),
      ).toMatchObject({ status: 404, code: 'UNKNOWN_ACCOUNT' });
      const out = await officialAccountConnector.receive(
        accounts,
        APPID,
        post(message({ MsgType: 'text', MsgId: '1' })),
        OPTS,
      );
      expect(out.type).toBe('accept');
      expect(officialAccountConnector.webhook).toEqual({
        path: '/wechat/official-account/:appId',
        param: 'appId',
        methods: ['GET', 'POST'],
        rejectionFormat: 'api',
      });
    });
  });
});
