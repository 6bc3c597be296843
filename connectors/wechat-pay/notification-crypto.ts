import { createDecipheriv, type KeyObject, verify } from 'crypto';
import type { EncryptedResource } from './types';

/**
 * WeChat Pay notification crypto (wechat-api.md §8.1–8.2), done with node:crypto because wechatpay-node-v3's
 * check re-serialises parsed bodies and has no public-key mode (DESIGN §7).
 * https://pay.weixin.qq.com/doc/v3/merchant/4013053249 (验证签名)
 * https://pay.weixin.qq.com/doc/v3/merchant/4012071382 (回调报文解密)
 */

/** SHA256withRSA (PKCS#1 v1.5) over `timestamp\nnonce\nrawBody\n`, the raw bytes exactly as received. */
export function verifyNotificationSignature(
  key: KeyObject,
  timestamp: string,
  nonce: string,
  rawBody: Buffer,
  signatureBase64: string,
): boolean {
  const message = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`, 'utf8'), rawBody, Buffer.from('\n', 'utf8')]);
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length === 0) return false;
  try {
    return verify('sha256', message, key, signature);
  } catch {
    return false;
  }
}

export class ResourceDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceDecryptError';
  }
}

const TAG_BYTES = 16;

/** AEAD_AES_256_GCM: key = APIv3 key, nonce = resource.nonce, AAD = associated_data, ciphertext ‖ 16-byte tag. */
export function decryptResource(apiV3Key: string, resource: EncryptedResource): string {
  if (resource.algorithm !== 'AEAD_AES_256_GCM')
    throw new ResourceDecryptError(`unsupported algorithm ${resource.algorithm}`);
  const key = Buffer.from(apiV3Key, 'utf8');
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (key.length !== 32 || data.length <= TAG_BYTES) throw new ResourceDecryptError('ciphertext too short');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(resource.nonce, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new ResourceDecryptError('resource authentication failed');
  }
}
