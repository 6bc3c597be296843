import { MessageCipher } from '../../../connectors/common/crypto/message-cipher';
import { sha1Signature } from '../../../connectors/common/crypto/signature';
import { toXml } from '../../../emulator/callbacks/callback-message';
import { prepareRequest } from '../../../emulator/callbacks/envelope';
import { CallbackInputError } from '../../../emulator/callbacks/oa-event.builder';
import type { CallbackTarget } from '../../../emulator/plugin-types';

// Round-trips every mode through the gateway-side crypto in connectors/common/crypto (wechat-api.md §4.2, §4.5, §5.10, §6.4).
const AES = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const oa: CallbackTarget = {
  kind: 'official-account',
  id: 'wx1234567890abcdef',
  token: 'tok',
  encodingAESKey: AES,
  mode: 'safe',
  format: 'xml',
  originalId: 'gh_abc',
};
const msg = {
  ToUserName: 'gh_abc',
  FromUserName: 'oUSER',
  CreateTime: 1700000000,
  MsgType: 'text',
  Content: 'hi',
  MsgId: 4363689963896700987n,
};
const base = { timestamp: '1700000001', nonce: '12345', format: 'xml' as const };
const URL = 'http://127.0.0.1:1/wechat/official-account/wx1234567890abcdef';

function fields(xml: string): string[] {
  return [...xml.matchAll(/^<(\w+)>/gm)].map((m) => m[1]!).filter((n) => n !== 'xml');
}

describe('callback envelope', () => {
  it('refuses an encrypted mode when the account has no EncodingAESKey', () => {
    const plainOnly = { ...oa, encodingAESKey: undefined };
    expect(() => prepareRequest(plainOnly, URL, msg, { ...base, mode: 'compatible' })).toThrow(CallbackInputError);
    expect(() => prepareRequest({ ...plainOnly, kind: 'wecom' }, URL, msg, { ...base, mode: 'plaintext' })).toThrow(
      CallbackInputError,
    );
  });

  it('plaintext: signed query with openid, body is the plain XML', () => {
    const r = prepareRequest(oa, URL, msg, { ...base, mode: 'plaintext' });
    expect(r.query).toEqual({
      signature: sha1Signature('tok', '1700000001', '12345'),
      timestamp: '1700000001',
      nonce: '12345',
      openid: 'oUSER',
    });
    expect(r.body).toBe(toXml(msg));
    expect(r.url).toBe(`${URL}?signature=${r.query.signature}&timestamp=1700000001&nonce=12345&openid=oUSER`);
    expect(r.contentType).toBe('text/xml');
  });

  it('compatible: plaintext fields plus Encrypt; msg_signature and ReceiveId check out', () => {
    const r = prepareRequest(oa, URL, msg, { ...base, mode: 'compatible' });
    expect(r.query.encrypt_type).toBe('aes');
    expect(fields(r.body)).toEqual([
      'ToUserName',
      'FromUserName',
      'CreateTime',
      'MsgType',
      'Content',
      'MsgId',
      'Encrypt',
    ]);
    const encrypt = /<Encrypt><!\[CDATA\[(.+)\]\]><\/Encrypt>/.exec(r.body)![1]!;
    const cipher = new MessageCipher({ token: 'tok', encodingAESKey: AES, receiveId: oa.id });
    expect(cipher.verifyMsgSignature(r.query.msg_signature, '1700000001', '12345', encrypt)).toBe(true);
    expect(cipher.open(encrypt).message).toBe(toXml(msg));
    expect(r.query.signature).toBe(sha1Signature('tok', '1700000001', '12345'));
  });

  it('safe: only ToUserName and Encrypt', () => {
    const r = prepareRequest(oa, URL, msg, { ...base, mode: 'safe' });
    expect(fields(r.body)).toEqual(['ToUserName', 'Encrypt']);
    const encrypt = /<Encrypt><!\[CDATA\[(.+)\]\]><\/Encrypt>/.exec(r.body)![1]!;
    expect(new MessageCipher({ token: 'tok', encodingAESKey: AES, receiveId: oa.id }).open(encrypt).message).toBe(
      r.plaintext,
    );
  });

  it('Mini Program JSON safe mode: {ToUserName, Encrypt} around a JSON plaintext', () => {
    const mp: CallbackTarget = { ...oa, kind: 'mini-program', id: 'wxmp00000000000001', format: 'json' };
    const r = prepareRequest(mp, URL, msg, { ...base, format: 'json', mode: 'safe' });
    const body = JSON.parse(r.body) as { ToUserName: string; Encrypt: string };
    expect(Object.keys(body)).toEqual(['ToUserName', 'Encrypt']);
    expect(r.contentType).toBe('application/json');
    const plain = new MessageCipher({ token: 'tok', encodingAESKey: AES, receiveId: mp.id }).open(body.Encrypt).message;
    expect(plain).toContain('"MsgId":4363689963896700987');
    expect(
      new MessageCipher({ token: 'tok', encodingAESKey: AES, receiveId: mp.id }).verifyMsgSignature(
        r.query.msg_signature,
        '1700000001',
        '12345',
        body.Encrypt,
      ),
    ).toBe(true);
  });

  it('Mini Program JSON compatible mode keeps the plaintext fields beside Encrypt', () => {
    const mp: CallbackTarget = { ...oa, kind: 'mini-program', id: 'wxmp00000000000001', format: 'json' };
    const body = JSON.parse(
      prepareRequest(mp, URL, msg, { ...base, format: 'json', mode: 'compatible' }).body,
    ) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'ToUserName',
      'FromUserName',
      'CreateTime',
      'MsgType',
      'Content',
      'MsgId',
      'Encrypt',
    ]);
  });

  it('WeCom: msg_signature/timestamp/nonce only, AgentID envelope, reproduces the §11.3 reply vector', () => {
    const corp: CallbackTarget = {
      kind: 'wecom',
      id: 'wx49f0ab532d5d035a',
      token: '123456',
      encodingAESKey: AES,
      mode: 'safe',
      format: 'xml',
    };
    const plain = {
      MsgType: 'text',
      Content: 'test',
      FromUserName: 'wx49f0ab532d5d035a',
      ToUserName: 'messense',
      AgentID: 1,
      CreateTime: 1411525903,
    };
    const r = prepareRequest(corp, URL, plain, {
      mode: 'plaintext',
      format: 'json',
      timestamp: '1411525903',
      nonce: '461056294',
      random16: Buffer.from('1234567890123456'),
      agentId: '1',
    });
    expect(Object.keys(r.query)).toEqual(['msg_signature', 'timestamp', 'nonce']);
    expect(r.query.msg_signature).toBe('407518b7649e86ef23978113f92d27afa9296533');
    expect(r.body).toMatch(
      /^<xml>\n<ToUserName><!\[CDATA\[wx49f0ab532d5d035a\]\]><\/ToUserName>\n<AgentID><!\[CDATA\[1\]\]><\/AgentID>\n<Encrypt><!\[CDATA\[9s4gMv99m88kKTh\/H8IdkOiMg6bisoy3/,
    );
    expect(r.mode).toBe('safe');
  });
});
