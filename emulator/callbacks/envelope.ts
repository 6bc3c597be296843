import { aesKeyFromEncodingAESKey, encryptMessage } from '../../connectors/common/crypto/message-crypto';
import { sha1Signature } from '../../connectors/common/crypto/signature';
import type { CallbackMode, CallbackTarget } from '../plugin-types';
import { serializeMessage, stringField, toJson, toXml, type CallbackMessage } from './callback-message';
import { CallbackInputError } from './oa-event.builder';

/**
 * Wraps a plaintext callback into what WeChat actually POSTs (wechat-api.md §4.2, §4.5, §5.10, §6.4).
 * OA/MP: query `signature,timestamp,nonce,openid` (+ `encrypt_type=aes,msg_signature` when encrypted);
 * plaintext body, compatible body (plaintext fields + Encrypt) or safe body (ToUserName + Encrypt).
 * WeCom: always encrypted; query `msg_signature,timestamp,nonce`; body ToUserName + AgentID + Encrypt.
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html
 * https://developer.work.weixin.qq.com/document/path/90930
 */
export interface EnvelopeOptions {
  mode: CallbackMode;
  format: 'xml' | 'json';
  timestamp: string;
  nonce: string;
  /** Fixed random prefix for reproducible ciphertexts (tests); random otherwise. */
  random16?: Buffer;
  /** WeCom `AgentID` in the outer envelope; empty for customer-contact events of the contact secret. */
  agentId?: string;
}

export interface PreparedRequest {
  url: string;
  query: Record<string, string>;
  body: string;
  contentType: string;
  /** The serialized plaintext message (what the gateway must recover after decryption). */
  plaintext: string;
  mode: CallbackMode;
  format: 'xml' | 'json';
}

export function withQuery(url: string, query: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  return u.toString();
}

function requireKey(target: CallbackTarget): Buffer {
  if (!target.encodingAESKey)
    throw new CallbackInputError(`${target.kind} ${target.id} has no EncodingAESKey: only plaintext mode is possible`);
  return aesKeyFromEncodingAESKey(target.encodingAESKey);
}

export function prepareRequest(
  target: CallbackTarget,
  url: string,
  message: CallbackMessage,
  opts: EnvelopeOptions,
): PreparedRequest {
  if (target.kind === 'wecom') return prepareWecom(target, url, message, opts);
  const format = target.kind === 'mini-program' ? opts.format : 'xml';
  const plaintext = serializeMessage(message, format);
  const contentType = format === 'json' ? 'application/json' : 'text/xml';
  const query: Record<string, string> = {
    signature: sha1Signature(target.token, opts.timestamp, opts.nonce),
    timestamp: opts.timestamp,
    nonce: opts.nonce,
  };
  const openid = stringField(message, 'FromUserName');
  if (openid !== undefined) query.openid = openid;
  if (opts.mode === 'plaintext') {
    return { url: withQuery(url, query), query, body: plaintext, contentType, plaintext, mode: opts.mode, format };
  }
  const encrypt = encryptMessage(requireKey(target), plaintext, target.id, opts.random16);
  query.encrypt_type = 'aes';
  query.msg_signature = sha1Signature(target.token, opts.timestamp, opts.nonce, encrypt);
  const toUserName = stringField(message, 'ToUserName') ?? '';
  const outer: CallbackMessage =
    opts.mode === 'safe' ? { ToUserName: toUserName, Encrypt: encrypt } : { ...message, Encrypt: encrypt };
  const body = format === 'json' ? toJson(outer) : toXml(outer);
  return { url: withQuery(url, query), query, body, contentType, plaintext, mode: opts.mode, format };
}

function prepareWecom(
  target: CallbackTarget,
  url: string,
  message: CallbackMessage,
  opts: EnvelopeOptions,
): PreparedRequest {
  const plaintext = toXml(message);
  const encrypt = encryptMessage(requireKey(target), plaintext, target.id, opts.random16);
  const query = {
    msg_signature: sha1Signature(target.token, opts.timestamp, opts.nonce, encrypt),
    timestamp: opts.timestamp,
    nonce: opts.nonce,
  };
  const body = toXml({ ToUserName: target.id, AgentID: opts.agentId ?? '', Encrypt: encrypt });
  return { url: withQuery(url, query), query, body, contentType: 'text/xml', plaintext, mode: 'safe', format: 'xml' };
}
