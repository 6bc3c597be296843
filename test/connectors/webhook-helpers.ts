import { aesKeyFromEncodingAESKey, encryptMessage } from '../../connectors/common/crypto/message-crypto';
import { sha1Signature } from '../../connectors/common/crypto/signature';
import type { NormalizedEvent } from '../../connectors/common/normalized-event';
import { type WebhookOutcome, type WebhookRequest, WebhookRejection } from '../../connectors/common/webhook-types';

/** Shared builders for connector webhook tests: requests signed and encrypted the way WeChat does it. */
export const NOW = 1714036504;
export const OPTS = { maxSkewSeconds: 300 };

export function request(
  method: 'GET' | 'POST',
  query: Record<string, string>,
  body = '',
  headers: Record<string, string> = {},
  nowSeconds = NOW,
): WebhookRequest {
  return { method, query, headers, rawBody: Buffer.from(body, 'utf8'), nowSeconds };
}

/** `signature` query for OA/MP (wechat-api.md §4.1). */
export function plainQuery(
  token: string,
  timestamp = String(NOW),
  nonce = '1514711492',
  extra: Record<string, string> = {},
): Record<string, string> {
  return { signature: sha1Signature(token, timestamp, nonce), timestamp, nonce, ...extra };
}

export interface Sealed {
  encrypt: string;
  query: Record<string, string>;
}

/** Encrypts a payload for `receiveId` and signs it (msg_signature) as WeChat does in compatible/safe mode. */
export function seal(
  token: string,
  encodingAESKey: string,
  receiveId: string,
  payload: string,
  timestamp = String(NOW),
  nonce = '461056294',
): Sealed {
  const encrypt = encryptMessage(aesKeyFromEncodingAESKey(encodingAESKey), payload, receiveId);
  return {
    encrypt,
    query: {
      signature: sha1Signature(token, timestamp, nonce),
      msg_signature: sha1Signature(token, timestamp, nonce, encrypt),
      timestamp,
      nonce,
      encrypt_type: 'aes',
    },
  };
}

export async function rejectionOf(fn: () => unknown): Promise<WebhookRejection> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof WebhookRejection) return e;
    throw e;
  }
  throw new Error('expected a WebhookRejection');
}

export type Accepted = Extract<WebhookOutcome, { type: 'accept' }>;

export async function accepted(outcome: WebhookOutcome | Promise<WebhookOutcome>): Promise<Accepted> {
  const o = await outcome;
  if (o.type !== 'accept') throw new Error(`expected accept, got ${JSON.stringify(o)}`);
  return o;
}

export function kinds(events: NormalizedEvent[]): string[] {
  return events.map((e) => e.kind);
}

/** Reads the fields of an encrypted reply envelope (wechat-api.md §4.5). */
export function envelopeFields(xml: string): { encrypt: string; signature: string; timestamp: string; nonce: string } {
  const pick = (re: RegExp): string => {
    const m = re.exec(xml);
    if (!m || m[1] === undefined) throw new Error(`missing ${re.source} in ${xml}`);
    return m[1];
  };
  return {
    encrypt: pick(/<Encrypt><!\[CDATA\[([^\]]*)\]\]><\/Encrypt>/),
    signature: pick(/<MsgSignature><!\[CDATA\[([0-9a-f]*)\]\]><\/MsgSignature>/),
    timestamp: pick(/<TimeStamp>(\d+)<\/TimeStamp>/),
    nonce: pick(/<Nonce><!\[CDATA\[([^\]]*)\]\]><\/Nonce>/),
  };
}
