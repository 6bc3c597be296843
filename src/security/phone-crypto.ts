import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'crypto';

/**
 * Phone numbers at rest (DESIGN §7): AES-256-GCM for the stored value, a keyed HMAC-SHA256 for lookups (the
 * `identities.value` of a phone identity), masking for API responses. Both sub-keys are derived once from
 * `security.dataKey` with HKDF so the encryption key never doubles as the hash key; callers build one instance
 * per process (key derivation is not per request).
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

export class PhoneCryptoError extends Error {
  readonly code = 'PHONE_CRYPTO';
  constructor(message: string) {
    super(message);
    this.name = 'PhoneCryptoError';
  }
}

/**
 * Canonical form used for hashing and storage: digits only, mainland China numbers without the country code
 * (`+86 138-0013-8000` and `13800138000` are the same person); other countries keep `+<cc>`.
 * The MP phone API returns `purePhoneNumber` + `countryCode` (wechat-api.md §6.2); both spellings end up here.
 */
export function normalizePhone(raw: string): string {
  const trimmed = raw.trim();
  const plus = trimmed.startsWith('+') || trimmed.startsWith('00');
  let digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('00')) digits = digits.slice(2);
  if (plus || (digits.length === 13 && digits.startsWith('861'))) {
    if (digits.startsWith('86')) return digits.slice(2);
    return `+${digits}`;
  }
  return digits;
}

/** `13800138000` → `138****8000`: first three and last four digits kept, the rest starred. */
export function maskPhone(phone: string): string {
  const p = phone.startsWith('+') ? phone.slice(1) : phone;
  if (p.length <= 7)
    return p.length <= 2 ? '*'.repeat(p.length) : `${p.slice(0, 1)}${'*'.repeat(p.length - 2)}${p.slice(-1)}`;
  return `${phone.startsWith('+') ? '+' : ''}${p.slice(0, 3)}${'*'.repeat(p.length - 7)}${p.slice(-4)}`;
}

export class PhoneCrypto {
  private readonly encKey: Buffer;
  private readonly hashKey: Buffer;

  constructor(dataKey: Buffer) {
    if (dataKey.length !== 32) throw new PhoneCryptoError('security.dataKey must be 32 bytes');
    this.encKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'siyu/phone/enc', 32));
    this.hashKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'siyu/phone/hash', 32));
  }

  /** Keyed hash of the normalised number: deterministic, so it can be the unique lookup key. */
  hash(phone: string): string {
    return createHmac('sha256', this.hashKey).update(normalizePhone(phone), 'utf8').digest('base64url');
  }

  /** `v1.<iv>.<ciphertext‖tag>` (base64url), random IV per value. */
  encrypt(phone: string): string {
    return this.seal(normalizePhone(phone));
  }

  decrypt(sealed: string): string {
    return this.open(sealed);
  }

  /** Any personal text at rest the way phones are (`pii` attribute values, DESIGN §10.4), not normalised. */
  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  open(sealed: string): string {
    const [version, ivText, bodyText] = sealed.split('.');
    if (version !== VERSION || !ivText || !bodyText) throw new PhoneCryptoError('unrecognised encrypted phone format');
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (iv.length !== IV_BYTES || body.length <= TAG_BYTES) throw new PhoneCryptoError('encrypted phone is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encKey, iv);
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new PhoneCryptoError('encrypted phone does not authenticate under this data key');
    }
  }
}
