import { prepareRequest } from '../../emulator/callbacks/envelope';
import { buildMpMessage } from '../../emulator/callbacks/mp-message.builder';
import { buildOaEvent } from '../../emulator/callbacks/oa-event.builder';
import { buildOaMessage } from '../../emulator/callbacks/oa-message.builder';
import { buildExternalContactEvent, buildExternalTagEvent } from '../../emulator/callbacks/wecom-event.builder';
import type { CallbackMode, CallbackTarget } from '../../emulator/plugin-types';
import { handleWebhook as mpWebhook } from '../../connectors/mini-program';
import { handleWebhook as oaWebhook } from '../../connectors/official-account';
import { handleWebhook as wecomWebhook } from '../../connectors/wecom';
import { accepted, kinds, NOW, OPTS, rejectionOf, request } from './webhook-helpers';

/**
 * What the emulator's callback sender POSTs (its envelope for each mode) is what the connectors accept:
 * the two sides are written separately from wechat-api.md, so this pins them to each other.
 */
const AES = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const OA = 'wx1234567890abcdef';
const MP = 'wxfedcba0987654321';
const CORP = 'ww1234567890abcdef';
const OPENID = 'oEmuLatorOpenid000000000001';
const header = { toUserName: 'gh_abc', openid: OPENID, createTime: NOW };
const env = (mode: CallbackMode, format: 'xml' | 'json' = 'xml') => ({
  mode,
  format,
  timestamp: String(NOW),
  nonce: '12345',
});
const target = (
  kind: CallbackTarget['kind'],
  id: string,
  mode: CallbackMode,
  format: 'xml' | 'json' = 'xml',
): CallbackTarget => ({
  kind,
  id,
  token: 'tok',
  encodingAESKey: AES,
  mode,
  format,
  originalId: 'gh_abc',
});

describe('connectors accept the emulator callback sender', () => {
  it('rejects an emulator push signed with another token', async () => {
    const t = { ...target('official-account', OA, 'safe'), token: 'other' };
    const p = prepareRequest(t, 'http://127.0.0.1/x', buildOaEvent(header, { type: 'unsubscribe' }), env('safe'));
    expect(
      (
        await rejectionOf(() =>
          oaWebhook({ appId: OA, token: 'tok', encodingAESKey: AES }, request('POST', p.query, p.body), OPTS),
        )
      ).status,
    ).toBe(401);
  });

  it.each(['plaintext', 'compatible', 'safe'] as const)('OA in %s mode', async (mode) => {
    const account =
      mode === 'plaintext'
        ? { appId: OA, token: 'tok' }
        : { appId: OA, token: 'tok', encodingAESKey: AES, originalId: 'gh_abc' };
    const t = target('official-account', OA, mode);
    const sub = prepareRequest(
      t,
      'http://127.0.0.1/x',
      buildOaEvent(header, { type: 'subscribe', sceneValue: '42', ticket: 'T' }),
      env(mode),
    );
    const out = await accepted(oaWebhook(account, request('POST', sub.query, sub.body), OPTS));
    expect(out.raw).toBe(sub.plaintext);
    expect(out.events[1]).toMatchObject({ kind: 'subscription.changed', openid: OPENID, qrScene: '42', ticket: 'T' });
    const msg = prepareRequest(
      t,
      'http://127.0.0.1/x',
      buildOaMessage(
        header,
        { type: 'location', latitude: 23.134521, longitude: 113.358803, scale: 20, label: 'here' },
        9007199254740993n,
      ),
      env(mode),
    );
    const m = await accepted(oaWebhook(account, request('POST', msg.query, msg.body), OPTS));
    expect(m.dedupeKey).toBe(`oa:${OA}:msg:9007199254740993`);
    expect(m.events[0]).toMatchObject({
      msgType: 'location',
      fields: { Location_X: '23.134521', Location_Y: '113.358803', Scale: '20', Label: 'here' },
    });
  });

  it.each([
    ['plaintext', 'xml'],
    ['plaintext', 'json'],
    ['compatible', 'json'],
    ['safe', 'xml'],
    ['safe', 'json'],
  ] as const)('Mini Program in %s mode, %s format', async (mode, format) => {
    const account = {
      appId: MP,
      token: 'tok',
      messageFormat: format,
      ...(mode === 'plaintext' ? {} : { encodingAESKey: AES }),
    };
    const t = target('mini-program', MP, mode, format);
    const p = prepareRequest(
      t,
      'http://127.0.0.1/x',
      buildMpMessage(header, { type: 'text', content: '在吗' }, 12345678901234567890n),
      env(mode, format),
    );
    const out = await accepted(
      mpWebhook(account, request('POST', p.query, p.body, { 'content-type': p.contentType }), OPTS),
    );
    expect(out.dedupeKey).toBe(`mp:${MP}:msg:12345678901234567890`);
    expect(out.events[0]).toMatchObject({
      kind: 'message.received',
      channel: 'mini-program',
      openid: OPENID,
      content: '在吗',
    });
    const e = prepareRequest(
      t,
      'http://127.0.0.1/x',
      buildMpMessage(header, { type: 'user_enter_tempsession', sessionFrom: 'card' }, 0n),
      env(mode, format),
    );
    const ev = await accepted(mpWebhook(account, request('POST', e.query, e.body), OPTS));
    expect(ev.events[0]).toMatchObject({
      kind: 'behaviour.recorded',
      subject: { type: 'mp_openid', scope: MP, value: OPENID },
      properties: { SessionFrom: 'card' },
    });
  });

  it('WeCom contact and tag events', async () => {
    const account = { corpId: CORP, token: 'tok', encodingAESKey: AES };
    const t = target('wecom', CORP, 'safe');
    const h = { corpId: CORP, createTime: NOW };
    const add = prepareRequest(
      t,
      'http://127.0.0.1/x',
      buildExternalContactEvent(h, {
        changeType: 'add_external_contact',
        userId: 'zhangsan',
        externalUserId: 'wmEXT',
        state: 's1',
        welcomeCode: 'W',
      }),
      env('safe'),
    );
    const out = await accepted(wecomWebhook(account, request('POST', add.query, add.body), OPTS));
    expect(kinds(out.events)).toEqual(['identity.observed', 'follow.added']);
    const tag = prepareRequest(
      t,
      'http://127.0.0.1/x',
      buildExternalTagEvent(h, { id: 'etG', tagType: 'tag_group', changeType: 'delete', strategyId: 3 }),
      env('safe'),
    );
    expect((await accepted(wecomWebhook(account, request('POST', tag.query, tag.body), OPTS))).events[0]).toMatchObject(
      { kind: 'tag.changed', tagType: 'tag_group', tagId: 'etG', strategyId: '3' },
    );
  });
});
