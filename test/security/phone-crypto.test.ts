import { randomBytes } from 'crypto';
import { maskPhone, normalizePhone, PhoneCrypto, PhoneCryptoError } from '../../src/security/phone-crypto';

describe('phone crypto', () => {
  const crypto = new PhoneCrypto(Buffer.alloc(32, 7));

  it('rejects a data key that is not 32 bytes', () => {
    expect(() => new PhoneCrypto(Buffer.alloc(16))).toThrow(PhoneCryptoError);
  });

  it('refuses a value sealed under another key or tampered with', () => {
    const other = new PhoneCrypto(randomBytes(32));
    const sealed = crypto.encrypt('13800138000');
    expect(() => other.decrypt(sealed)).toThrow(PhoneCryptoError);
    const [v, iv, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => crypto.decrypt(`${v}.${iv}.${flipped.toString('base64url')}`)).toThrow(PhoneCryptoError);
    expect(() => crypto.decrypt('garbage')).toThrow(PhoneCryptoError);
  });

  it('round-trips with a fresh IV each time', () => {
    const a = crypto.encrypt('13800138000');
    const b = crypto.encrypt('13800138000');
    expect(a).not.toBe(b);
    expect(crypto.decrypt(a)).toBe('13800138000');
    expect(a).not.toContain('13800138000');
  });

  it('hashes every spelling of one number to the same keyed value', () => {
    const h = crypto.hash('13800138000');
    expect(crypto.hash('+86 138-0013-8000')).toBe(h);
    expect(crypto.hash('008613800138000')).toBe(h);
    expect(crypto.hash('8613800138000')).toBe(h);
    expect(crypto.hash('13800138001')).not.toBe(h);
    expect(new PhoneCrypto(Buffer.alloc(32, 8)).hash('13800138000')).not.toBe(h);
    expect(h.length).toBeLessThanOrEqual(64);
  });

  it('normalises and masks', () => {
    expect(normalizePhone('+1 (415) 555-1234')).toBe('+14155551234');
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('+14155551234')).toBe('+141****1234');
    expect(maskPhone('12345')).toBe('1***5');
  });
});
