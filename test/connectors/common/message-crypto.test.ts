import {
  aesKeyFromEncodingAESKey,
  decryptMessage,
  encryptMessage,
  MessageCryptoError,
} from '../../../connectors/common/crypto/message-crypto';
import { MessageCipher } from '../../../connectors/common/crypto/message-cipher';
import { safeEqual, sha1Signature } from '../../../connectors/common/crypto/signature';

// Vectors: wechat-api.md §11.
const TOKEN = '123456';
const AES = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const CORP = 'wx49f0ab532d5d035a';
const INBOUND =
  'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=';

describe('signature', () => {
  it('rejects a wrong signature in constant time', () => {
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual(undefined, 'abc')).toBe(false);
  });
  it('reproduces the OA GET vector', () => {
    expect(sha1Signature('AAAAA', '1714036504', '1514711492')).toBe('f464b24fc39322e44b38aa78f5edd27bd1441696');
  });
});

describe('message crypto', () => {
  const key = aesKeyFromEncodingAESKey(AES);
  it('rejects a malformed EncodingAESKey', () => {
    expect(() => aesKeyFromEncodingAESKey('short')).toThrow(MessageCryptoError);
    expect(() => aesKeyFromEncodingAESKey('k'.repeat(42) + '+')).toThrow(MessageCryptoError);
  });
  it('decrypts the WeCom echostr vector', () => {
    const echostr = '4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==';
    expect(sha1Signature(TOKEN, '1411443780', '437374425', echostr)).toBe('dd6b9c95b495b3f7e2901bfbc76c664930ffdb96');
    expect(decryptMessage(key, echostr)).toEqual({ message: '5927782489442352469', receiveId: CORP });
  });
  it('decrypts the inbound message vector', () => {
    expect(sha1Signature(TOKEN, '1411525903', '461056294', INBOUND)).toBe('74d92dfeb87ba7c714f89d98870ae5eb62dff26d');
    const { message, receiveId } = decryptMessage(key, INBOUND);
    expect(receiveId).toBe(CORP);
    expect(message).toContain('<Content><![CDATA[test]]></Content>');
    expect(message).toContain('4363689963896700987');
    expect(message).toContain('messense');
  });
  it('reproduces the reply vector with a fixed random prefix', () => {
    const reply =
      '<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>';
    const enc = encryptMessage(key, reply, CORP, Buffer.from('1234567890123456'));
    expect(enc.startsWith('9s4gMv99m88kKTh/H8IdkOiMg6bisoy3')).toBe(true);
    expect(sha1Signature(TOKEN, '1411525903', '461056294', enc)).toBe('407518b7649e86ef23978113f92d27afa9296533');
    const cipher = new MessageCipher({ token: TOKEN, encodingAESKey: AES, receiveId: CORP });
    const env = cipher.sealReply(reply, '1411525903', '461056294', undefined, Buffer.from('1234567890123456'));
    expect(env).toContain('<MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]></MsgSignature>');
  });
  it('pads an aligned message with a full 32-byte block', () => {
    const enc = encryptMessage(key, 'x'.repeat(32 - 20 - CORP.length + 32), CORP);
    expect(Buffer.from(enc, 'base64').length % 32).toBe(0);
    expect(decryptMessage(key, enc).receiveId).toBe(CORP);
  });
  it('rejects a foreign ReceiveId and accepts the previous key during rotation', () => {
    const old = 'a'.repeat(43);
    const cipher = new MessageCipher({
      token: TOKEN,
      encodingAESKey: AES,
      previousEncodingAESKey: old,
      receiveId: CORP,
    });
    expect(() => cipher.open(encryptMessage(key, 'hi', 'wxother'))).toThrow(/ReceiveId/);
    const viaOld = encryptMessage(aesKeyFromEncodingAESKey(old), 'hello', CORP);
    const opened = cipher.open(viaOld);
    expect(opened.message).toBe('hello');
    expect(opened.key.equals(aesKeyFromEncodingAESKey(old))).toBe(true);
    expect(() => cipher.open('not-base64-cipher')).toThrow(MessageCryptoError);
  });
});
