import { createCipheriv, createDecipheriv, randomBytes } from 'crypto';

/**
 * WeChat message encryption shared by OA, Mini Program and WeCom (wechat-api.md §4.5):
 * AES-256-CBC, key = Base64Decode(EncodingAESKey + "="), IV = first 16 bytes of the key, no library padding,
 * PKCS#7 padding to a multiple of 32 bytes; plaintext = random(16) ‖ len (uint32 BE) ‖ msg ‖ ReceiveId.
 * https://developer.work.weixin.qq.com/document/path/90968
 */
const BLOCK = 32;
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;

export class MessageCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageCryptoError';
  }
}

export function isValidEncodingAESKey(key: string): boolean {
  return ENCODING_AES_KEY.test(key);
}

export function aesKeyFromEncodingAESKey(encodingAESKey: string): Buffer {
  if (!isValidEncodingAESKey(encodingAESKey))
    throw new MessageCryptoError('EncodingAESKey must be 43 chars of [A-Za-z0-9]');
  const key = Buffer.from(encodingAESKey + '=', 'base64');
  if (key.length !== 32) throw new MessageCryptoError('EncodingAESKey does not decode to 32 bytes');
  return key;
}

export function pkcs7Pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

export function pkcs7Unpad(data: Buffer): Buffer {
  const n = data[data.length - 1];
  if (n === undefined || n < 1 || n > BLOCK || n > data.length) throw new MessageCryptoError('bad padding');
  return data.subarray(0, data.length - n);
}

/** Encrypts `message` for `receiveId`; `random16` is injectable so test vectors are reproducible. */
export function encryptMessage(
  key: Buffer,
  message: string,
  receiveId: string,
  random16: Buffer = randomBytes(16),
): string {
  if (random16.length !== 16) throw new MessageCryptoError('random prefix must be 16 bytes');
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const plain = pkcs7Pad(Buffer.concat([random16, len, msg, Buffer.from(receiveId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

export interface DecryptedMessage {
  message: string;
  receiveId: string;
}

export function decryptMessage(key: Buffer, encrypted: string): DecryptedMessage {
  const data = Buffer.from(encrypted, 'base64');
  if (data.length === 0 || data.length % 16 !== 0)
    throw new MessageCryptoError('ciphertext length is not a multiple of the block size');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = pkcs7Unpad(Buffer.concat([decipher.update(data), decipher.final()]));
  } catch (e) {
    if (e instanceof MessageCryptoError) throw e;
    throw new MessageCryptoError('decryption failed');
  }
  if (plain.length < 20) throw new MessageCryptoError('plaintext too short');
  const len = plain.readUInt32BE(16);
  if (20 + len > plain.length) throw new MessageCryptoError('message length out of range');
  return {
    message: plain.subarray(20, 20 + len).toString('utf8'),
    receiveId: plain.subarray(20 + len).toString('utf8'),
  };
}
