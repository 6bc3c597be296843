import { toXml } from '../../../emulator/callbacks/callback-message';
import * as wecomCrypto from '@wecom/crypto';
import WXBizMsgCrypt from 'wechat-crypto';
import { buildXml } from '../../../connectors/common/xml';
import { handleWebhook, miniProgramConnector } from '../../../connectors/mini-program';
import { accepted, kinds, NOW, OPTS, plainQuery, rejectionOf, request, seal } from '../webhook-helpers';

const APPID = 'wxa1b2c3d4e5f60001';
const TOKEN = 'mptoken';
const AES = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const OPENID = 'oGZUI0egBJY1zhBYw2KhdUfwVJJE';

const xmlPlain = { appId: APPID, token: TOKEN, messageFormat: 'xml' as const };
const jsonPlain = { appId: APPID, token: TOKEN, messageFormat: 'json' as const };
const jsonSafe = { appId: APPID, token: TOKEN, messageFormat: 'json' as const, encodingAESKey: AES };
const xmlSafe = { appId: APPID, token: TOKEN, messageFormat: 'xml' as const, encodingAESKey: AES };

const common = { ToUserName: 'gh_mp', FromUserName: OPENID, CreateTime: NOW };
const json = (fields: Record<string, unknown>): string => JSON.stringify({ ...common, ...fields });
const xml = (fields: Record<string, string | number>): string => buildXml({ ...common, ...fields });
const post = (body: string, query = plainQuery(TOKEN), headers: Record<string, string> = {}) =>
  request('POST', query, body, headers);

describe('Mini Program webhook', () => {
  it('rejects a push with a bad signature (401)', async () => {
    const r = await rejectionOf(() =>
      handleWebhook(
        jsonPlain,
        post(json({ MsgType: 'text', Content: 'x', MsgId: 1 }), { ...plainQuery(TOKEN), signature: 'bad' }),
        OPTS,
      ),
    );
    expect([r.status, r.code]).toEqual([401, 'BAD_SIGNATURE']);
  });

  it('answers 404 when message push is not configured (no token)', async () => {
    const r = await rejectionOf(() =>
      handleWebhook({ appId: APPID, messageFormat: 'xml' }, request('GET', plainQuery('x')), OPTS),
    );
    expect([r.status, r.code]).toEqual([404, 'PUSH_NOT_CONFIGURED']);
  });

  it('verifies the URL like an OA (echo echostr), 401 on a wrong signature', async () => {
    const ok = await handleWebhook(
      jsonPlain,
      request('GET', plainQuery(TOKEN, String(NOW), '1', { echostr: 'e123' })),
      OPTS,
    );
    expect(ok).toEqual({ type: 'reply', reply: { status: 200, body: 'e123', contentType: 'text/plain' } });
    expect(
      (
        await rejectionOf(() =>
          handleWebhook(jsonPlain, request('GET', { ...plainQuery(TOKEN), signature: 'x', echostr: 'e' }), OPTS),
        )
      ).status,
    ).toBe(401);
  });

  describe('plaintext', () => {
    it('maps an XML text message to message.received (mp) with its MsgId', async () => {
      const out = await accepted(
        handleWebhook(xmlPlain, post(xml({ MsgType: 'text', Content: 'hi', MsgId: '23456789012345678' })), OPTS),
      );
      expect(out.kind).toBe('mp.message.text');
      expect(out.dedupeKey).toBe(`mp:${APPID}:msg:23456789012345678`);
      expect(out.events).toEqual([
        {
          kind: 'message.received',
          channel: 'mini-program',
          account: APPID,
          occurredAt: new Date(NOW * 1000).toISOString(),
          openid: OPENID,
          msgType: 'text',
          msgId: '23456789012345678',
          content: 'hi',
          fields: {},
        },
      ]);
      expect(out.ack).toEqual({ status: 200, body: 'success', contentType: 'text/plain' });
    });

    it('keeps a 64-bit JSON MsgId exact (no number coercion)', async () => {
      const body = `{"ToUserName":"gh_mp","FromUserName":"${OPENID}","CreateTime":${NOW},"MsgType":"text","Content":"this is a test","MsgId":23456789012345678901}`;
      const out = await accepted(handleWebhook(jsonPlain, post(body), OPTS));
      expect(out.dedupeKey).toBe(`mp:${APPID}:msg:23456789012345678901`);
      expect(out.events[0]).toMatchObject({ msgId: '23456789012345678901', content: 'this is a test' });
    });

    it('detects the format from the body, whatever the account says', async () => {
      const fromJson = await accepted(
        handleWebhook(xmlPlain, post(json({ MsgType: 'image', PicUrl: 'http://p', MediaId: 'm', MsgId: 5 })), OPTS),
      );
      expect(fromJson.events[0]).toMatchObject({ msgType: 'image', fields: { PicUrl: 'http://p', MediaId: 'm' } });
      const fromXml = await accepted(
        handleWebhook(
          jsonPlain,
          post(xml({ MsgType: 'text', Content: 'x', MsgId: '6' }), plainQuery(TOKEN), { 'Content-Type': 'text/xml' }),
          OPTS,
        ),
      );
      expect(fromXml.dedupeKey).toBe(`mp:${APPID}:msg:6`);
    });

    it('maps a miniprogrampage card message with its fields', async () => {
      const out = await accepted(
        handleWebhook(
          jsonPlain,
          post(
            json({
              MsgType: 'miniprogrampage',
              MsgId: 7,
              Title: 't',
              AppId: APPID,
              PagePath: 'pages/a',
              ThumbUrl: 'u',
              ThumbMediaId: 'tm',
            }),
          ),
          OPTS,
        ),
      );
      expect(out.events[0]).toMatchObject({
        msgType: 'miniprogrampage',
        fields: { Title: 't', AppId: APPID, PagePath: 'pages/a', ThumbUrl: 'u', ThumbMediaId: 'tm' },
      });
    });

    it('maps user_enter_tempsession to behaviour.recorded on the mp_openid', async () => {
      const out = await accepted(
        handleWebhook(
          jsonPlain,
          post(json({ MsgType: 'event', Event: 'user_enter_tempsession', SessionFrom: 'sessionFrom' })),
          OPTS,
        ),
      );
      expect(out.kind).toBe('mp.event.user_enter_tempsession');
      expect(out.events).toEqual([
        {
          kind: 'behaviour.recorded',
          channel: 'mini-program',
          account: APPID,
          occurredAt: new Date(NOW * 1000).toISOString(),
          subject: { type: 'mp_openid', scope: APPID, value: OPENID },
          type: 'user_enter_tempsession',
          properties: { SessionFrom: 'sessionFrom' },
        },
      ]);
      expect(out.dedupeKey.startsWith(`mp:${APPID}:event:${OPENID}:${NOW}:user_enter_tempsession::`)).toBe(true);
    });

    it('maps subscription-message events in both formats and tells same-second ones apart', async () => {
      const list = (id: string) => ({ TemplateId: id, SubscribeStatusString: 'accept', PopupScene: '0' });
      const a = await accepted(
        handleWebhook(
          jsonPlain,
          post(json({ MsgType: 'event', Event: 'subscribe_msg_popup_event', List: [list('T1')] })),
          OPTS,
        ),
      );
      const b = await accepted(
        handleWebhook(
          jsonPlain,
          post(json({ MsgType: 'event', Event: 'subscribe_msg_popup_event', List: [list('T2')] })),
          OPTS,
        ),
      );
      expect(a.events[0]).toMatchObject({
        kind: 'consent.observed',
        templateId: 'T1',
        status: 'accept',
        granted: true,
        trigger: 'popup',
      });
      expect(a.dedupeKey).not.toBe(b.dedupeKey);
      const x = await accepted(
        handleWebhook(
          xmlPlain,
          post(
            toXml({
              ...common,
              MsgType: 'event',
              Event: 'subscribe_msg_sent_event',
              SubscribeMsgSentEvent: { List: { TemplateId: 'T1', MsgID: '7', ErrorCode: '0', ErrorStatus: 'success' } },
            }),
          ),
          OPTS,
        ),
      );
      expect(x.events[0]).toMatchObject({
        type: 'subscribe_msg_sent',
        properties: { results: [{ templateId: 'T1', msgId: '7', errorCode: '0', errorStatus: 'success' }] },
      });
    });

    it('maps other events to unsupported', async () => {
      const out = await accepted(
        handleWebhook(jsonPlain, post(json({ MsgType: 'event', Event: 'weapp_audit_success', SuccTime: 1 })), OPTS),
      );
      expect(kinds(out.events)).toEqual(['unsupported']);
    });

    it('rejects malformed JSON, a non-object and a DTD with 400', async () => {
      for (const body of [
        '{"MsgType":',
        '[1,2]',
        '<!DOCTYPE x [<!ENTITY a "b">]><xml><A>&a;</A></xml>',
        'plain text',
      ]) {
        expect(await rejectionOf(() => handleWebhook(jsonPlain, post(body), OPTS))).toMatchObject({
          status: 400,
          code: 'MALFORMED',
        });
      }
    });

    it('rejects a stale timestamp with 401', async () => {
      const body = json({ MsgType: 'text', MsgId: 1 });
      expect(
        await rejectionOf(() => handleWebhook(jsonPlain, post(body, plainQuery(TOKEN, String(NOW - 400))), OPTS)),
      ).toMatchObject({ status: 401, code: 'STALE_TIMESTAMP' });
    });
  });

  describe('safe and compatible mode', () => {
    const inner = json({ MsgType: 'event', Event: 'user_enter_tempsession', SessionFrom: 'ad' });

    it('rejects a JSON safe-mode body with a bad msg_signature (401)', async () => {
      const { encrypt, query } = seal(TOKEN, AES, APPID, inner);
      const body = JSON.stringify({ ToUserName: 'gh_mp', Encrypt: encrypt });
      expect(
        (
          await rejectionOf(() =>
            handleWebhook(jsonSafe, post(body, { ...query, msg_signature: '1'.repeat(40) }), OPTS),
          )
        ).status,
      ).toBe(401);
    });

    it('decrypts a JSON safe-mode body {ToUserName, Encrypt} into the JSON payload', async () => {
      const { encrypt, query } = seal(TOKEN, AES, APPID, inner);
      const out = await accepted(
        handleWebhook(jsonSafe, post(JSON.stringify({ ToUserName: 'gh_mp', Encrypt: encrypt }), query), OPTS),
      );
      expect(out.raw).toBe(inner);
      expect(out.events[0]).toMatchObject({ type: 'user_enter_tempsession', properties: { SessionFrom: 'ad' } });
    });

    it('decrypts an XML safe-mode body and a JSON compatible-mode body', async () => {
      const innerXml = xml({ MsgType: 'text', Content: 'secure', MsgId: '9' });
      const s1 = seal(TOKEN, AES, APPID, innerXml);
      const out1 = await accepted(
        handleWebhook(xmlSafe, post(buildXml({ ToUserName: 'gh_mp', Encrypt: s1.encrypt }), s1.query), OPTS),
      );
      expect(out1.events[0]).toMatchObject({ content: 'secure' });
      const s2 = seal(TOKEN, AES, APPID, inner);
      const compatible = json({
        MsgType: 'event',
        Event: 'user_enter_tempsession',
        SessionFrom: 'forged',
        Encrypt: s2.encrypt,
      });
      const out2 = await accepted(handleWebhook(jsonSafe, post(compatible, s2.query), OPTS));
      expect(out2.events[0]).toMatchObject({ properties: { SessionFrom: 'ad' } });
    });

    it('rejects a ciphertext for another appid, and a plaintext push to an encrypted account (401)', async () => {
      const { encrypt, query } = seal(TOKEN, AES, 'wxother', inner);
      expect(
        await rejectionOf(() =>
          handleWebhook(jsonSafe, post(JSON.stringify({ ToUserName: 'gh_mp', Encrypt: encrypt }), query), OPTS),
        ),
      ).toMatchObject({ status: 401, code: 'DECRYPT_FAILED' });
      expect(await rejectionOf(() => handleWebhook(jsonSafe, post(inner), OPTS))).toMatchObject({
        status: 401,
        code: 'ENCRYPTION_REQUIRED',
      });
    });

    it('accepts JSON payloads encrypted by @wecom/crypto and wechat-crypto', async () => {
      const ts = String(NOW);
      const nonce = '77';
      const e1 = wecomCrypto.encrypt(AES, inner, APPID);
      const q1 = {
        msg_signature: wecomCrypto.getSignature(TOKEN, ts, nonce, e1),
        timestamp: ts,
        nonce,
        encrypt_type: 'aes',
      };
      expect(
        (await accepted(handleWebhook(jsonSafe, post(JSON.stringify({ ToUserName: 'gh_mp', Encrypt: e1 }), q1), OPTS)))
          .raw,
      ).toBe(inner);
      const lib = new WXBizMsgCrypt(TOKEN, AES, APPID);
      const e2 = lib.encrypt(inner);
      const q2 = { msg_signature: lib.getSignature(ts, nonce, e2), timestamp: ts, nonce, encrypt_type: 'aes' };
      expect(
        (await accepted(handleWebhook(jsonSafe, post(JSON.stringify({ ToUserName: 'gh_mp', Encrypt: e2 }), q2), OPTS)))
          .raw,
      ).toBe(inner);
    });
  });

  it('declares GET/POST /wechat/mini-program/:appId', () => {
    expect(miniProgramConnector.webhook).toEqual({
      path: '/wechat/mini-program/:appId',
      param: 'appId',
      methods: ['GET', 'POST'],
      rejectionFormat: 'api',
    });
  });
});
