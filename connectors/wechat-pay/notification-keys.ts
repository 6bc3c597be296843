import { createPublicKey, type KeyObject, X509Certificate } from 'crypto';
import { readFileSync } from 'fs';
import type { WechatPayConfig } from './config';
import { PUBLIC_KEY_ID_PREFIX } from './types';

/**
 * The keys a merchant's notifications may be signed with (wechat-api.md §8.4): platform certificates, selected
 * by their hex serial, and the WeChat Pay public key, selected by `PUB_KEY_ID_…`. During a migration WeChat signs
 * with either, so both are held. Files are read once per path for the life of the process (replace a file,
 * restart); an unknown serial is never fetched on demand.
 * https://pay.weixin.qq.com/doc/v3/merchant/4012154180 (微信支付公钥)
 */
export type PayKeyAccount = Pick<
  WechatPayConfig,
  'platformCertPaths' | 'platformPublicKeyPath' | 'platformPublicKeyId'
>;

export class PayKeyLoadError extends Error {
  readonly code = 'KEY_LOAD_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'PayKeyLoadError';
  }
}

interface CertificateKey {
  serial: string;
  key: KeyObject;
}

const certificates = new Map<string, CertificateKey>();
const publicKeys = new Map<string, KeyObject>();

/** Hex serials compare case-insensitively and without leading zeros (OpenSSL may drop them). */
export function normalizeSerial(serial: string): string {
  return serial
    .trim()
    .toUpperCase()
    .replace(/^0+(?=.)/, '');
}

function readPem(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new PayKeyLoadError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

function loadCertificate(path: string): CertificateKey {
  let entry = certificates.get(path);
  if (!entry) {
    try {
      const cert = new X509Certificate(readPem(path));
      entry = { serial: normalizeSerial(cert.serialNumber), key: cert.publicKey };
    } catch (e) {
      throw e instanceof PayKeyLoadError ? e : new PayKeyLoadError(`${path} is not a PEM certificate`);
    }
    certificates.set(path, entry);
  }
  return entry;
}

function loadPublicKey(path: string): KeyObject {
  let key = publicKeys.get(path);
  if (!key) {
    try {
      key = createPublicKey(readPem(path));
    } catch (e) {
      throw e instanceof PayKeyLoadError ? e : new PayKeyLoadError(`${path} is not a PEM public key`);
    }
    publicKeys.set(path, key);
  }
  return key;
}

/** The verification key for a `Wechatpay-Serial` header, or undefined when the serial is not configured. */
export function keyForSerial(account: PayKeyAccount, serial: string): KeyObject | undefined {
  if (serial.startsWith(PUBLIC_KEY_ID_PREFIX)) {
    if (!account.platformPublicKeyPath || account.platformPublicKeyId !== serial) return undefined;
    return loadPublicKey(account.platformPublicKeyPath);
  }
  const wanted = normalizeSerial(serial);
  for (const path of account.platformCertPaths) {
    const cert = loadCertificate(path);
    if (cert.serial === wanted) return cert.key;
  }
  return undefined;
}

/** Loads every configured key now, so a bad path fails at start rather than on the first notification. */
export function preloadPayKeys(account: PayKeyAccount): { certificateSerials: string[]; publicKeyId?: string } {
  const certificateSerials = account.platformCertPaths.map((p) => loadCertificate(p).serial);
  if (account.platformPublicKeyPath) loadPublicKey(account.platformPublicKeyPath);
  return { certificateSerials, ...(account.platformPublicKeyId ? { publicKeyId: account.platformPublicKeyId } : {}) };
}
