import { createVerify, generateKeyPairSync } from 'crypto';
import { decryptResource, encryptResource, rfc3339, signMessage } from '../../../emulator/pay/pay-crypto';

// wechat-api.md §11.5 (AEAD_AES_256_GCM) and §8.1 (SHA256withRSA over ts\nnonce\nbody\n).
const KEY = '0123456789abcdef0123456789abcdef';
const PLAIN = '{"out_trade_no":"T1","trade_state":"SUCCESS","amount":{"total":1}}';
const VECTOR =
  'Eu6myr+6GaECeJdOZPZ6BX5lij2Vohspf9pbw6Eor54J6prefQGx4A8pw4Iiseaw8SDSwJlkDdmqkDsswI+ydLGOqRL04SaV2EvGI/1ky+AOGg==';

describe('Pay resource encryption', () => {
  it('refuses to open a resource under the wrong AAD', () => {
    expect(() =>
      decryptResource(KEY, { ciphertext: VECTOR, associated_data: 'refund', nonce: 'abcdefghijkl' }),
    ).toThrow();
  });
  it('reproduces the §11.5 vector', () => {
    expect(encryptResource(KEY, PLAIN, 'transaction', 'abcdefghijkl')).toEqual({
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: VECTOR,
      associated_data: 'transaction',
      nonce: 'abcdefghijkl',
    });
    expect(decryptResource(KEY, { ciphertext: VECTOR, associated_data: 'transaction', nonce: 'abcdefghijkl' })).toBe(
      PLAIN,
    );
  });
  it('uses a fresh 12-character nonce by default', () => {
    const a = encryptResource(KEY, PLAIN, 'transaction');
    expect(a.nonce).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(a.ciphertext).not.toBe(encryptResource(KEY, PLAIN, 'transaction').ciphertext);
  });
});

describe('Pay signatures', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  it('does not verify once the body changes', () => {
    const sig = signMessage(privateKey, '1700000000', 'n', '{"a":1}');
    expect(createVerify('RSA-SHA256').update('1700000000\nn\n{"a":2}\n').verify(publicKey, sig, 'base64')).toBe(false);
  });
  it('signs ts\\nnonce\\nbody\\n over the raw UTF-8 bytes', () => {
    const body = '{"summary":"支付成功"}';
    const sig = signMessage(privateKey, '1700000000', 'NONCE', body);
    expect(
      createVerify('RSA-SHA256')
        .update(Buffer.from(`1700000000\nNONCE\n${body}\n`, 'utf8'))
        .verify(publicKey, sig, 'base64'),
    ).toBe(true);
  });
  it('formats times as RFC 3339 with +08:00', () => {
    expect(rfc3339(Date.UTC(2015, 4, 20, 5, 29, 35))).toBe('2015-05-20T13:29:35+08:00');
  });
});
