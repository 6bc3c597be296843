import * as wecomCrypto from '@wecom/crypto';
import WXBizMsgCrypt from 'wechat-crypto';
import { MessageCipher } from '../../../connectors/common/crypto/message-cipher';
import { buildXml } from '../../../connectors/common/xml';
import { handleWebhook, wecomConnector } from '../../../connectors/wecom';
import { accepted, envelopeFields, kinds, rejectionOf, request, seal } from '../webhook-helpers';

// Vectors: wechat-api.md §11 item 3.
const TOKEN = '123456';
const AES = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const CORP = 'wx49f0ab532d5d035a';
const OLD_AES = 'a'.repeat(43);
const ECHOSTR = '4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==';
const INBOUND =
  'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=';

const account = { corpId: CORP, token: TOKEN, encodingAESKey: AES, previousEncodingAESKey: OLD_AES };
const NOW = 1700000000;
const OPTS = { maxSkewSeconds: 300 };
const EXT = 'woAJ2GCAAAXtWyujaWJHDDGi0mAAAA';

const body = (encrypt: string): string => buildXml({ ToUserName: CORP, AgentID: '1000002', Encrypt: encrypt });
const event = (fields: Record<string, string | number>): string =>
  buildXml({ ToUserName: CORP, FromUserName: 'sys', CreateTime: NOW, MsgType: 'event', ...fields });
function deliver(payload: string, aes = AES) {
  const { encrypt, query } = seal(TOKEN, aes, CORP, payload, String(NOW));
  const { signature: _s, encrypt_type: _t, ...wecomQuery } = query;
  return handleWebhook(account, request('POST', wecomQuery, body(encrypt), {}, NOW), OPTS);
}
const contact = (changeType: string, extra: Record<string, string> = {}) =>
  accepted(
    deliver(
      event({
        Event: 'change_external_contact',
        ChangeType: changeType,
        UserID: 'zhangsan',
        ExternalUserID: EXT,
        ...extra,
      }),
    ),
  );
const tag = (extra: Record<string, string>) => accepted(deliver(event({ Event: 'change_external_tag', ...extra })));

describe('WeCom webhook', () => {
  it('rejects a POST with a bad msg_signature (401)', async () => {
    const q = {
      msg_signature: '74d92dfeb87ba7c714f89d98870ae5eb62dff26e',
      timestamp: '1411525903',
      nonce: '461056294',
    };
    const r = await rejectionOf(() => handleWebhook(account, request('POST', q, body(INBOUND), {}, 1411525903), OPTS));
    expect([r.status, r.code]).toEqual([401, 'BAD_SIGNATURE']);
  });

  describe('URL verification (GET)', () => {
    const q = {
      msg_signature: 'dd6b9c95b495b3f7e2901bfbc76c664930ffdb96',
      timestamp: '1411443780',
      nonce: '437374425',
      echostr: ECHOSTR,
    };

    it('rejects a wrong msg_signature and a stale timestamp with 401', async () => {
      expect(
        (
          await rejectionOf(() =>
            handleWebhook(account, request('GET', { ...q, msg_signature: '0'.repeat(40) }, '', {}, 1411443780), OPTS),
          )
        ).status,
      ).toBe(401);
      expect(
        await rejectionOf(() => handleWebhook(account, request('GET', q, '', {}, 1411443780 + 301), OPTS)),
      ).toMatchObject({ status: 401, code: 'STALE_TIMESTAMP' });
    });

    it('answers the decrypted echostr of the §11 vector, even if + was decoded to a space', async () => {
      for (const echostr of [ECHOSTR, ECHOSTR.replace(/\+/g, ' ')]) {
        expect(await handleWebhook(account, request('GET', { ...q, echostr }, '', {}, 1411443780), OPTS)).toEqual({
          type: 'reply',
          reply: { status: 200, body: '5927782489442352469', contentType: 'text/plain' },
        });
      }
    });

    it('rejects an echostr encrypted for another corp (ReceiveId) with 401', async () => {
      const other = { ...account, corpId: 'ww_other' };
      expect(await rejectionOf(() => handleWebhook(other, request('GET', q, '', {}, 1411443780), OPTS))).toMatchObject({
        status: 401,
        code: 'DECRYPT_FAILED',
      });
    });
  });

  it('accepts the §11 inbound message vector as an unsupported app message deduped on MsgId', async () => {
    const q = {
      msg_signature: '74d92dfeb87ba7c714f89d98870ae5eb62dff26d',
      timestamp: '1411525903',
      nonce: '461056294',
    };
    const out = await accepted(handleWebhook(account, request('POST', q, body(INBOUND), {}, 1411525903), OPTS));
    expect(out.dedupeKey).toBe(`wecom:${CORP}:msg:4363689963896700987`);
    expect(out.kind).toBe('wecom.message.text');
    expect(kinds(out.events)).toEqual(['unsupported']);
    expect(out.ack).toEqual({ status: 200, body: 'success', contentType: 'text/plain' });
  });

  describe('change_external_contact', () => {
    const observed = {
      kind: 'identity.observed',
      channel: 'wecom',
      account: CORP,
      identities: [{ type: 'wecom_external_userid', scope: CORP, value: EXT }],
    };

    it('add_external_contact → identity.observed + follow.added with state and welcome code', async () => {
      const out = await contact('add_external_contact', { State: 'teststate', WelcomeCode: 'WELCOMECODE' });
      expect(out.kind).toBe('wecom.change_external_contact.add_external_contact');
      expect(out.dedupeKey).toBe(`wecom:${CORP}:add_external_contact:zhangsan:${EXT}:${NOW}:teststate:::WELCOMECODE`);
      expect(out.events).toEqual([
        expect.objectContaining(observed),
        {
          kind: 'follow.added',
          channel: 'wecom',
          account: CORP,
          occurredAt: new Date(NOW * 1000).toISOString(),
          staffUserId: 'zhangsan',
          externalUserId: EXT,
          half: false,
          state: 'teststate',
          welcomeCode: 'WELCOMECODE',
        },
      ]);
    });

    it('add_half_external_contact → follow.added half', async () => {
      const out = await contact('add_half_external_contact', { State: 's' });
      expect(out.events).toEqual([
        expect.objectContaining(observed),
        expect.objectContaining({ kind: 'follow.added', half: true, state: 's' }),
      ]);
    });

    it('edit_external_contact → identity.observed + follow.edited', async () => {
      expect(kinds((await contact('edit_external_contact')).events)).toEqual(['identity.observed', 'follow.edited']);
    });

    it('del_external_contact (by transfer) and del_follow_user → follow.removed by staff / customer', async () => {
      const del = await contact('del_external_contact', { Source: 'DELETE_BY_TRANSFER' });
      expect(del.events).toEqual([
        expect.objectContaining({
          kind: 'follow.removed',
          by: 'staff',
          source: 'DELETE_BY_TRANSFER',
          staffUserId: 'zhangsan',
          externalUserId: EXT,
        }),
      ]);
      const gone = await contact('del_follow_user');
      expect(gone.events).toEqual([expect.objectContaining({ kind: 'follow.removed', by: 'customer' })]);
      expect(gone.events[0]).not.toHaveProperty('source');
    });

    it('transfer_fail → follow.transfer_failed with the reason', async () => {
      const out = await contact('transfer_fail', { FailReason: 'customer_refused' });
      expect(out.events).toEqual([
        expect.objectContaining({ kind: 'follow.transfer_failed', failReason: 'customer_refused' }),
      ]);
    });

    it('keeps distinct changes of one pair in one second apart, and a retry on one key', async () => {
      const keys = [
        (await contact('del_external_contact', { Source: 'DELETE_BY_TRANSFER' })).dedupeKey,
        (await contact('del_external_contact')).dedupeKey,
        (await contact('add_external_contact', { State: 'a' })).dedupeKey,
        (await contact('add_external_contact', { State: 'b' })).dedupeKey,
        (await contact('edit_external_contact')).dedupeKey,
        (await contact('del_follow_user')).dedupeKey,
      ];
      expect(new Set(keys).size).toBe(keys.length);
      expect((await contact('add_external_contact', { State: 'a' })).dedupeKey).toBe(keys[2]);
    });

    it('rejects a change without ExternalUserID with 400', async () => {
      const r = await rejectionOf(() =>
        deliver(event({ Event: 'change_external_contact', ChangeType: 'add_external_contact', UserID: 'u' })),
      );
      expect([r.status, r.code]).toEqual([400, 'MALFORMED']);
    });
  });

  describe('change_external_tag', () => {
    it.each(['create', 'update', 'delete'] as const)(
      '%s of a tag and of a tag group → tag.changed',
      async (changeType) => {
        const t = await tag({ ChangeType: changeType, Id: 'etTAG', TagType: 'tag' });
        expect(t.kind).toBe(`wecom.change_external_tag.${changeType}`);
        expect(t.events).toEqual([
          {
            kind: 'tag.changed',
            channel: 'wecom',
            account: CORP,
            occurredAt: new Date(NOW * 1000).toISOString(),
            changeType,
            tagType: 'tag',
            tagId: 'etTAG',
          },
        ]);
        const g = await tag({ ChangeType: changeType, Id: 'etGROUP', TagType: 'tag_group', StrategyId: '7' });
        expect(g.events[0]).toMatchObject({ changeType, tagType: 'tag_group', tagId: 'etGROUP', strategyId: '7' });
      },
    );

    it('shuffle without TagType is a tag-group reorder; an empty Id means the groups were reordered', async () => {
      expect((await tag({ ChangeType: 'shuffle', Id: 'etGROUP' })).events[0]).toMatchObject({
        changeType: 'shuffle',
        tagType: 'tag_group',
        tagId: 'etGROUP',
      });
      expect((await tag({ ChangeType: 'shuffle' })).events[0]).toMatchObject({ tagId: '' });
    });

    it('gives same-second tag events distinct keys by Id, TagType, ChangeType and StrategyId', async () => {
      const keys = await Promise.all([
        tag({ ChangeType: 'delete', Id: 'et1', TagType: 'tag' }),
        tag({ ChangeType: 'delete', Id: 'et2', TagType: 'tag' }),
        tag({ ChangeType: 'delete', Id: 'et1', TagType: 'tag_group' }),
        tag({ ChangeType: 'update', Id: 'et1', TagType: 'tag' }),
        tag({ ChangeType: 'delete', Id: 'et1', TagType: 'tag', StrategyId: '3' }),
      ]);
      expect(new Set(keys.map((k) => k.dedupeKey)).size).toBe(5);
      expect(keys[0]!.dedupeKey).toBe(`wecom:${CORP}:tag:delete:tag:et1::${NOW}`);
    });
  });

  it('maps other events to unsupported (accepted, deduped on the plaintext)', async () => {
    const out = await accepted(
      deliver(event({ Event: 'change_external_chat', ChangeType: 'transfer', ChatId: 'wr1' })),
    );
    expect(out.kind).toBe('wecom.change_external_chat.transfer');
    expect(out.events[0]).toMatchObject({ kind: 'unsupported', what: 'wecom.change_external_chat.transfer' });
    expect(out.dedupeKey).toMatch(new RegExp(`^wecom:${CORP}:event:raw:[0-9a-f]{64}$`));
  });

  it('refuses a plaintext body (WeCom always encrypts) and a stale one', async () => {
    const plain = event({
      Event: 'change_external_contact',
      ChangeType: 'del_follow_user',
      UserID: 'u',
      ExternalUserID: EXT,
    });
    expect(await rejectionOf(() => handleWebhook(account, request('POST', {}, plain, {}, NOW), OPTS))).toMatchObject({
      status: 401,
      code: 'ENCRYPTION_REQUIRED',
    });
    const { encrypt, query } = seal(TOKEN, AES, CORP, plain, String(NOW - 3600));
    expect(
      await rejectionOf(() => handleWebhook(account, request('POST', query, body(encrypt), {}, NOW), OPTS)),
    ).toMatchObject({ status: 401, code: 'STALE_TIMESTAMP' });
  });

  it('rejects a DTD in the body or in the decrypted payload with 400', async () => {
    const outer = `<!DOCTYPE x [<!ENTITY a "b">]>${body('x')}`;
    expect((await rejectionOf(() => handleWebhook(account, request('POST', {}, outer, {}, NOW), OPTS))).status).toBe(
      400,
    );
    expect(
      (await rejectionOf(() => deliver('<!DOCTYPE xml SYSTEM "http://evil/x.dtd"><xml><MsgType>event</MsgType></xml>')))
        .status,
    ).toBe(400);
  });

  it('accepts callbacks sealed with the previous key and refuses a foreign corp inside the ciphertext', async () => {
    const payload = event({
      Event: 'change_external_contact',
      ChangeType: 'del_follow_user',
      UserID: 'u',
      ExternalUserID: EXT,
    });
    expect((await accepted(deliver(payload, OLD_AES))).events[0]).toMatchObject({ kind: 'follow.removed' });
    const { encrypt, query } = seal(TOKEN, AES, 'wwforeign', payload, String(NOW));
    expect(
      await rejectionOf(() => handleWebhook(account, request('POST', query, body(encrypt), {}, NOW), OPTS)),
    ).toMatchObject({ status: 401, code: 'DECRYPT_FAILED' });
  });

  describe('interop', () => {
    const payload = event({
      Event: 'change_external_contact',
      ChangeType: 'add_external_contact',
      UserID: 'lisi',
      ExternalUserID: EXT,
      State: 'x',
    });
    const ts = String(NOW);
    const nonce = '1372623149';

    it('rejects a wechat-crypto ciphertext for another corp', async () => {
      const lib = new WXBizMsgCrypt(TOKEN, AES, 'wwother');
      const encrypt = lib.encrypt(payload);
      const q = { msg_signature: lib.getSignature(ts, nonce, encrypt), timestamp: ts, nonce };
      expect(
        (await rejectionOf(() => handleWebhook(account, request('POST', q, body(encrypt), {}, NOW), OPTS))).status,
      ).toBe(401);
    });

    it('accepts callbacks encrypted by @wecom/crypto and by wechat-crypto', async () => {
      const e1 = wecomCrypto.encrypt(AES, payload, CORP);
      const q1 = { msg_signature: wecomCrypto.getSignature(TOKEN, ts, nonce, e1), timestamp: ts, nonce };
      expect(
        (await accepted(handleWebhook(account, request('POST', q1, body(e1), {}, NOW), OPTS))).events[1],
      ).toMatchObject({ staffUserId: 'lisi' });
      const lib = new WXBizMsgCrypt(TOKEN, AES, CORP);
      const e2 = lib.encrypt(payload);
      const q2 = { msg_signature: lib.getSignature(ts, nonce, e2), timestamp: ts, nonce };
      expect((await accepted(handleWebhook(account, request('POST', q2, body(e2), {}, NOW), OPTS))).raw).toBe(payload);
    });

    it('the §11 reply vector sealed by Siyu decrypts with both libraries', () => {
      const reply =
        '<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>';
      const envelope = new MessageCipher({ token: TOKEN, encodingAESKey: AES, receiveId: CORP }).sealReply(
        reply,
        '1411525903',
        '461056294',
        undefined,
        Buffer.from('1234567890123456'),
      );
      const f = envelopeFields(envelope);
      expect(f.encrypt.startsWith('9s4gMv99m88kKTh/H8IdkOiMg6bisoy3')).toBe(true);
      expect(f.signature).toBe('407518b7649e86ef23978113f92d27afa9296533');
      expect(wecomCrypto.getSignature(TOKEN, f.timestamp, f.nonce, f.encrypt)).toBe(f.signature);
      expect(wecomCrypto.decrypt(AES, f.encrypt)).toMatchObject({ message: reply, id: CORP });
      expect(new WXBizMsgCrypt(TOKEN, AES, CORP).decrypt(f.encrypt)).toEqual({ message: reply, id: CORP });
    });
  });

  it('declares GET/POST /wechat/wecom/:corpId and 404s an unknown corp', async () => {
    expect(wecomConnector.webhook).toMatchObject({
      path: '/wechat/wecom/:corpId',
      param: 'corpId',
      methods: ['GET', 'POST'],
    });
    expect(
      await rejectionOf(() =>
        wecomConnector.receive(
          [{ kind: 'wecom' }, { kind: 'official-account' }].map((a) => ({ ...a, corpId: 'ww1' })),
          'ww2',
          request('GET', {}),
          OPTS,
        ),
      ),
    ).toMatchObject({ status: 404 });
  });
});
