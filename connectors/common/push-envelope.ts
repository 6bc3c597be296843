import { MessageCipher } from './crypto/message-cipher';
import { MessageCryptoError } from './crypto/message-crypto';
import { safeEqual, sha1Signature } from './crypto/signature';
import { bodyText, type CallbackFields, malformed, optionalText } from './callback-fields';
import { type WebhookRequest, type WebhookOutcome, WebhookRejection } from './webhook-types';
import { assertFreshTimestamp, badSignature, queryParam, requiredParam, type WebhookOptions } from './webhook-guards';

/**
 * The transport shared by OA and Mini Program pushes (wechat-api.md §4.1–4.5, §6.4) and WeCom (§5.10):
 * signature or msg_signature, the timestamp window, and AES decryption with key rotation.
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html
 */
export interface PushCredentials {
  token: string;
  encodingAESKey?: string;
  previousEncodingAESKey?: string;
  /** appid (OA/MP) or corpid (WeCom): the ReceiveId every ciphertext must end with. */
  receiveId: string;
}

const ciphers = new WeakMap<object, MessageCipher>();

/** One MessageCipher per configured account object (config is frozen), so keys are decoded once. */
export function cipherFor(account: object, creds: PushCredentials): MessageCipher | undefined {
  if (!creds.encodingAESKey) return undefined;
  let cipher = ciphers.get(account);
  if (!cipher) {
    cipher = new MessageCipher({
      token: creds.token,
      encodingAESKey: creds.encodingAESKey,
      previousEncodingAESKey: creds.previousEncodingAESKey,
      receiveId: creds.receiveId,
    });
    ciphers.set(account, cipher);
  }
  return cipher;
}

/** Decrypts an `Encrypt` value after checking msg_signature; every failure is a 401. */
export function openEncrypted(
  cipher: MessageCipher,
  req: WebhookRequest,
  encrypt: string,
  opts: WebhookOptions,
): { message: string; key: Buffer } {
  const timestamp = requiredParam(queryParam(req, 'timestamp'), 'timestamp');
  const nonce = requiredParam(queryParam(req, 'nonce'), 'nonce');
  if (!cipher.verifyMsgSignature(queryParam(req, 'msg_signature'), timestamp, nonce, encrypt))
    throw badSignature('msg_signature mismatch');
  assertFreshTimestamp(timestamp, req.nowSeconds, opts);
  try {
    return cipher.open(encrypt);
  } catch (e) {
    if (e instanceof MessageCryptoError) throw new WebhookRejection(401, 'DECRYPT_FAILED', e.message);
    throw e;
  }
}

/** Plain `signature` = sha1(sort(token, timestamp, nonce)) plus the timestamp window. */
export function verifyPlainSignature(token: string, req: WebhookRequest, opts: WebhookOptions): void {
  const timestamp = requiredParam(queryParam(req, 'timestamp'), 'timestamp');
  const nonce = requiredParam(queryParam(req, 'nonce'), 'nonce');
  if (!safeEqual(queryParam(req, 'signature'), sha1Signature(token, timestamp, nonce))) throw badSignature();
  assertFreshTimestamp(timestamp, req.nowSeconds, opts);
}

/** OA / MP URL verification (§4.1): echo the raw echostr when the plain signature matches. */
export function echoVerification(token: string, req: WebhookRequest, opts: WebhookOptions): WebhookOutcome {
  verifyPlainSignature(token, req, opts);
  const echostr = queryParam(req, 'echostr');
  if (echostr === undefined || echostr === '') throw malformed('missing echostr');
  return { type: 'reply', reply: { status: 200, body: echostr, contentType: 'text/plain' } };
}

export interface OpenedPush {
  /** The authenticated message fields: decrypted when the push was encrypted. */
  fields: CallbackFields;
  /** The text those fields were parsed from (decrypted plaintext, or the body). */
  plaintext: string;
  encrypted: boolean;
  /** The EncodingAESKey that decrypted it: seal a passive reply with the same one. */
  replyKey?: Buffer;
}

/**
 * OA / MP POST (§4.2). Modes are told apart by the body:
 * - `Encrypt` present and a key configured → compatible or safe mode: msg_signature, decrypt, parse the plaintext.
 *   The plaintext fields of a compatible-mode body are ignored (msg_signature does not cover them).
 * - `Encrypt` present, no key, plaintext fields present → compatible mode seen by an account that has not been
 *   given its key yet: read the plaintext fields under the plain signature (the safe migration order is
 *   console → compatible, then add the key to Siyu, then console → safe).
 * - no `Encrypt` but a key configured → 401: WeChat always encrypts once a key exists in both encrypted modes,
 *   and the plain signature does not cover the body, so a plaintext body here could be a replayed signature
 *   carrying forged content.
 */
export function openPush(
  account: object,
  creds: PushCredentials,
  req: WebhookRequest,
  opts: WebhookOptions,
  parse: (text: string) => CallbackFields,
): OpenedPush {
  const body = bodyText(req.rawBody);
  const outer = parse(body);
  const encrypt = optionalText(outer, 'Encrypt');
  const cipher = cipherFor(account, creds);
  if (encrypt !== undefined && cipher) {
    const { message, key } = openEncrypted(cipher, req, encrypt, opts);
    return { fields: parse(message), plaintext: message, encrypted: true, replyKey: key };
  }
  if (encrypt !== undefined && optionalText(outer, 'MsgType') === undefined) {
    throw new WebhookRejection(401, 'NO_AES_KEY', 'encrypted push but no encodingAESKey is configured');
  }
  if (encrypt === undefined && cipher) {
    throw new WebhookRejection(401, 'ENCRYPTION_REQUIRED', 'this account is configured for encrypted pushes');
  }
  verifyPlainSignature(creds.token, req, opts);
  return { fields: outer, plaintext: body, encrypted: false };
}
