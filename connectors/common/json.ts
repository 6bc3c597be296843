import { type CallbackFields, type CallbackValue, FORBIDDEN_KEYS, malformed } from './callback-fields';
import { assertJsonBounds, JsonBoundsError } from './json-bounds';
import { WebhookRejection } from './webhook-types';

/**
 * Mini Program JSON message push (wechat-api.md §6.4) parsed into the same shape as the XML format: every
 * leaf a string. Number literals are quoted before JSON.parse sees them, because a 64-bit MsgId such as
 * 23456789012345678 is not representable as a JS number and would silently change.
 * https://developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html
 */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

export function quoteNumbers(json: string): string {
  return json.replace(TOKEN, (tok) => (tok.charCodeAt(0) === 0x22 ? tok : `"${tok}"`));
}

/** The shared bounds (json-bounds.ts) as the rejection a callback connector answers with. */
export function assertCallbackJsonBounds(json: string): void {
  try {
    assertJsonBounds(json);
  } catch (e) {
    if (!(e instanceof JsonBoundsError)) throw e;
    throw e.status === 413 ? new WebhookRejection(413, 'PAYLOAD_TOO_LARGE', e.message) : malformed(e.message);
  }
}

/** Recursive, so only ever called on text that passed assertCallbackJsonBounds (depth ≤ 64). */
function toValue(v: unknown): CallbackValue {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.map(toValue);
  if (typeof v === 'object') {
    const out: CallbackFields = {};
    for (const [k, inner] of Object.entries(v as Record<string, unknown>)) {
      if (FORBIDDEN_KEYS.has(k)) throw malformed(`key ${k} is not accepted`);
      out[k] = toValue(inner);
    }
    return out;
  }
  return String(v);
}

/** Parses a JSON object body; throws WebhookRejection 400 MALFORMED (413 past the size bounds) otherwise. */
export function parseCallbackJson(json: string): CallbackFields {
  // Bounds first: quoteNumbers and toValue are only linear and shallow on text that passed them.
  assertCallbackJsonBounds(json);
  let parsed: unknown;
  try {
    parsed = JSON.parse(quoteNumbers(json));
  } catch {
    throw malformed('body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw malformed('body must be a JSON object');
  return toValue(parsed) as CallbackFields;
}
