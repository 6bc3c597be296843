import { createCipheriv, createDecipheriv, createSign, randomBytes, randomInt, type KeyObject } from 'crypto';

/**
 * WeChat Pay APIv3 primitives (wechat-api.md §8.1–8.2).
 * https://pay.weixin.qq.com/wiki/doc/apiv3/wechatpay/wechatpay4_1.shtml (signature verification)
 * https://pay.weixin.qq.com/wiki/doc/apiv3/wechatpay/wechatpay4_2.shtml (resource decryption)
 */
export const SIGNATURE_TYPE = 'WECHATPAY2-SHA256-RSA2048';
export const SIGNTEST_PREFIX = 'WECHATPAY/SIGNTEST/';

export interface EncryptedResource {
  algorithm: 'AEAD_AES_256_GCM';
  ciphertext: string;
  associated_data: string;
  nonce: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomString(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

/** AEAD_AES_256_GCM: key = APIv3 key (32 ASCII bytes), 12-char nonce, ciphertext = Base64(ct ‖ 16-byte tag). */
export function encryptResource(
  apiV3Key: string,
  plaintext: string,
  associatedData: string,
  nonce: string = randomString(12),
): EncryptedResource {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: ct.toString('base64'), associated_data: associatedData, nonce };
}

export function decryptResource(
  apiV3Key: string,
  r: Pick<EncryptedResource, 'ciphertext' | 'associated_data' | 'nonce'>,
): string {
  const data = Buffer.from(r.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(r.nonce, 'utf8'));
  decipher.setAAD(Buffer.from(r.associated_data, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

/** SHA256withRSA (PKCS#1 v1.5) over `timestamp\nnonce\nbody\n`, Base64 — the same for notifications and API responses. */
export function signMessage(privateKey: KeyObject, timestamp: string, nonce: string, body: string): string {
  return createSign('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`, 'utf8').sign(privateKey, 'base64');
}

/** A signature-test probe value: begins with WECHATPAY/SIGNTEST/ and must never verify. */
export function probeSignature(): string {
  return SIGNTEST_PREFIX + randomBytes(256).toString('base64');
}

/** RFC 3339 with the +08:00 offset WeChat Pay uses everywhere (`2015-05-20T13:29:35+08:00`). */
export function rfc3339(ms: number): string {
  return `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}
