import { aesKeyFromEncodingAESKey, encryptMessage } from '../../../connectors/common/crypto/message-crypto';
import { sha1Signature } from '../../../connectors/common/crypto/signature';
import type { HostileWorld } from './hostile-world';

/**
 * One hostile input: a request sent with fetch, or raw bytes written to a socket (framing cases fetch cannot
 * express). A case expects a refusal (a 4xx, nothing stored) unless it is marked `accepted`: odd but valid
 * input (emoji, escapes, lone surrogates, 64-bit ids) that must be stored once, never answered 5xx.
 */
export interface HttpCase {
  kind: 'http';
  name: string;
  accepted?: true;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawCase {
  kind: 'raw';
  name: string;
  /** The bytes written before the client half-closes the connection. */
  bytes: Buffer;
}

export type HostileCase = HttpCase | RawCase;

/** Case builders get the world (paths, clock, a valid visitor token) and return the cases as data. */
export interface CorpusContext {
  world: HostileWorld;
  now: number;
  mpToken: string;
}

export function qs(query: Record<string, string>): string {
  return new URLSearchParams(query).toString();
}

/** OA / MP plaintext-mode query: `signature = sha1(sort(token, timestamp, nonce))` (wechat-api.md §4.1). */
export function plainQuery(token: string, timestamp: string, nonce = '1514711492'): Record<string, string> {
  return { signature: sha1Signature(token, timestamp, nonce), timestamp, nonce };
}

/** An `Encrypt` value for `receiveId` and the msg_signature query over it (wechat-api.md §4.5). */
export function sealed(
  token: string,
  encodingAESKey: string,
  receiveId: string,
  payload: string,
  timestamp: string,
  nonce = '461056294',
): { encrypt: string; query: Record<string, string> } {
  const encrypt = encryptMessage(aesKeyFromEncodingAESKey(encodingAESKey), payload, receiveId);
  return {
    encrypt,
    query: { msg_signature: sha1Signature(token, timestamp, nonce, encrypt), timestamp, nonce, encrypt_type: 'aes' },
  };
}

/** msg_signature over an arbitrary Encrypt string (to get past the signature with a broken ciphertext). */
export function signedEncrypt(
  token: string,
  encrypt: string,
  timestamp: string,
  nonce = '461056294',
): Record<string, string> {
  return { msg_signature: sha1Signature(token, timestamp, nonce, encrypt), timestamp, nonce, encrypt_type: 'aes' };
}

export function xmlEnvelope(fields: Record<string, string>): string {
  return `<xml>${Object.entries(fields)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;
}

/** A well-formed OA/MP text message as WeChat sends it, with fields overridden. */
export function oaText(over: Record<string, string> = {}, now = 1714036504): Record<string, string> {
  return {
    ToUserName: 'gh_h0571e000001',
    FromUserName: 'oHostile00000000000000000001',
    CreateTime: String(now),
    MsgType: 'text',
    Content: 'hi',
    MsgId: '23456789012345678',
    ...over,
  };
}
