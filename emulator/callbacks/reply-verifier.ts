import { XMLParser } from 'fast-xml-parser';
import {
  aesKeyFromEncodingAESKey,
  decryptMessage,
  MessageCryptoError,
} from '../../connectors/common/crypto/message-crypto';
import { safeEqual, sha1Signature } from '../../connectors/common/crypto/signature';
import type { CallbackMode, CallbackTarget } from '../plugin-types';
import { stringField, type CallbackMessage } from './callback-message';

/**
 * Judges the gateway's answer to a callback (wechat-api.md §4.4, §4.5, §5.10): `success` or an empty body is a
 * bare ack; otherwise a passive reply, which in safe mode (and always for WeCom) must be the encrypted envelope
 * whose MsgSignature covers the reply's own TimeStamp/Nonce/Encrypt and whose ciphertext ends in our ReceiveId.
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html
 */
export interface ReplyVerdict {
  /** `echo`: the answer to a URL verification. */
  kind: 'ack' | 'plain-reply' | 'encrypted-reply' | 'echo' | 'invalid';
  ok: boolean;
  reason?: string;
  /** The reply message in plaintext (decrypted when it was encrypted). */
  message?: string;
}

export interface ReplyContext {
  mode: CallbackMode;
  format: 'xml' | 'json';
  inbound: CallbackMessage;
}

// Entities and DTDs are never expanded: the body comes from the system under test.
const parser = new XMLParser({
  processEntities: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  trimValues: false,
});

type Fields = Record<string, unknown>;

function parseFields(body: string): Fields | undefined {
  const text = body.trim();
  try {
    if (text.startsWith('{')) {
      const v: unknown = JSON.parse(text);
      return typeof v === 'object' && v !== null ? (v as Fields) : undefined;
    }
    if (!text.startsWith('<')) return undefined;
    const doc = parser.parse(text) as Fields;
    const xml = doc.xml;
    return typeof xml === 'object' && xml !== null ? (xml as Fields) : undefined;
  } catch {
    return undefined;
  }
}

function str(f: Fields, name: string): string | undefined {
  const v = f[name];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function invalid(reason: string, message?: string): ReplyVerdict {
  return { kind: 'invalid', ok: false, reason, ...(message === undefined ? {} : { message }) };
}

/** A passive reply swaps To/From relative to the inbound message and names a MsgType. */
function checkPlain(message: string, ctx: ReplyContext): string | undefined {
  const f = parseFields(message);
  if (!f) return 'reply is neither `success`, empty, nor a reply document';
  if (str(f, 'ToUserName') !== stringField(ctx.inbound, 'FromUserName'))
    return 'reply ToUserName must be the inbound FromUserName';
  if (str(f, 'FromUserName') !== stringField(ctx.inbound, 'ToUserName'))
    return 'reply FromUserName must be the inbound ToUserName';
  if (!str(f, 'MsgType')) return 'reply has no MsgType';
  if (!/^\d+$/.test(str(f, 'CreateTime') ?? '')) return 'reply CreateTime must be an integer';
  return undefined;
}

export function verifyReply(target: CallbackTarget, ctx: ReplyContext, body: string): ReplyVerdict {
  if (body === '' || body === 'success') return { kind: 'ack', ok: true };
  const f = parseFields(body);
  const encrypt = f && str(f, 'Encrypt');
  if (f && encrypt !== undefined) {
    if (!target.encodingAESKey) return invalid('encrypted reply but the account has no EncodingAESKey');
    if (ctx.mode === 'plaintext' && target.kind !== 'wecom')
      return invalid('encrypted reply to a plaintext-mode callback');
    const ts = str(f, 'TimeStamp') ?? '';
    const nonce = str(f, 'Nonce') ?? '';
    if (!safeEqual(str(f, 'MsgSignature'), sha1Signature(target.token, ts, nonce, encrypt)))
      return invalid('MsgSignature does not match TimeStamp/Nonce/Encrypt');
    let decrypted: { message: string; receiveId: string };
    try {
      decrypted = decryptMessage(aesKeyFromEncodingAESKey(target.encodingAESKey), encrypt);
    } catch (e) {
      if (e instanceof MessageCryptoError) return invalid(`reply does not decrypt: ${e.message}`);
      throw e;
    }
    if (decrypted.receiveId !== target.id)
      return invalid(`reply ReceiveId ${decrypted.receiveId} is not ${target.id}`, decrypted.message);
    const problem = checkPlain(decrypted.message, ctx);
    return problem
      ? invalid(problem, decrypted.message)
      : { kind: 'encrypted-reply', ok: true, message: decrypted.message };
  }
  if (target.kind === 'wecom') return invalid('WeCom replies must be empty or encrypted', body);
  if (ctx.mode === 'safe') return invalid('safe mode requires an encrypted reply', body);
  const problem = checkPlain(body, ctx);
  return problem ? invalid(problem, body) : { kind: 'plain-reply', ok: true, message: body };
}
