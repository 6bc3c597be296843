import { execFileSync } from 'child_process';
import { createCipheriv, createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * WeChat Pay's side of a notification, made locally: an RSA-2048 platform certificate (self-signed with
 * openssl, fixed hex serial), a "WeChat Pay public key" pair, and a notifier that encrypts the resource and
 * signs `ts\nnonce\nbody\n` as WeChat does (wechat-api.md §8).
 */
export const CERT_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
export const PUB_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';

export interface PayKeys {
  dir: string;
  certPath: string;
  certKey: KeyObject;
  publicKeyPath: string;
  publicKeySigner: KeyObject;
  strangerKey: KeyObject;
}

export function makePayKeys(): PayKeys {
  const dir = mkdtempSync(join(tmpdir(), 'siyu-pay-'));
  const keyPath = join(dir, 'platform.key');
  const certPath = join(dir, 'platform.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-subj',
      '/CN=Tenpay.com Root CA',
      '-days',
      '2',
      '-set_serial',
      `0x${CERT_SERIAL}`,
    ],
    { stdio: 'ignore' },
  );
  const certKey = loadPrivateKey(keyPath);
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyPath = join(dir, 'pub_key.pem');
  writeFileSync(publicKeyPath, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { dir, certPath, certKey, publicKeyPath, publicKeySigner: pair.privateKey, strangerKey: stranger.privateKey };
}

function loadPrivateKey(path: string): KeyObject {
  return createPrivateKey(readFileSync(path));
}

export function encryptResource(
  apiV3Key: string,
  plaintext: string,
  associatedData: string,
  nonce = randomBytes(6).toString('hex'),
) {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return {
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: ct.toString('base64'),
    associated_data: associatedData,
    nonce,
    original_type: associatedData,
  };
}

export interface Signed {
  body: string;
  headers: Record<string, string>;
}

export function signNotification(
  body: string,
  key: KeyObject,
  serial: string,
  timestamp: number,
  nonce = randomBytes(16).toString('hex'),
): Signed {
  const signature = sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`, 'utf8'), key).toString('base64');
  return {
    body,
    headers: {
      'wechatpay-timestamp': String(timestamp),
      'wechatpay-nonce': nonce,
      'wechatpay-signature': signature,
      'wechatpay-serial': serial,
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
    },
  };
}
