import { type WebhookRequest, WebhookRejection } from './webhook-types';

/** Options the core passes to every `handleWebhook` (from `callbacks` in the config). */
export interface WebhookOptions {
  /** `|now − timestamp|` above this is rejected with 401; 0 disables the check (DESIGN §7). */
  maxSkewSeconds: number;
  /** `privacy.storeLocation`: OA LOCATION events are kept only when true; otherwise acked with nothing personal stored. */
  storeLocation?: boolean;
}

export function rejectMethod(method: string): never {
  throw new WebhookRejection(405, 'METHOD_NOT_ALLOWED', `method ${method} is not allowed here`);
}

export function badSignature(message = 'signature mismatch'): WebhookRejection {
  return new WebhookRejection(401, 'BAD_SIGNATURE', message);
}

/** A query parameter; base64 values (echostr, Encrypt) get `+` back if a proxy decoded it to a space. */
export function queryParam(req: WebhookRequest, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' ? v : undefined;
}

export function base64Param(req: WebhookRequest, name: string): string | undefined {
  return queryParam(req, name)?.replace(/ /g, '+');
}

/** Header lookup that does not depend on how the caller cased the names. */
export function header(req: WebhookRequest, name: string): string | undefined {
  const direct = req.headers[name] ?? req.headers[name.toLowerCase()];
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * The replay window: WeChat signs the timestamp, so a captured request stays valid only while it is fresh.
 * Official Pay SDKs use 5 minutes (wechat-api.md §8.3); the same window applies to OA/MP/WeCom callbacks.
 */
export function assertFreshTimestamp(
  timestamp: string | undefined,
  nowSeconds: number,
  opts: WebhookOptions,
  code = 'STALE_TIMESTAMP',
): string {
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp))
    throw new WebhookRejection(401, code, 'timestamp missing or invalid');
  if (opts.maxSkewSeconds > 0 && Math.abs(nowSeconds - Number(timestamp)) > opts.maxSkewSeconds) {
    throw new WebhookRejection(401, code, 'timestamp outside the allowed window');
  }
  return timestamp;
}

export function requiredParam(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw badSignature(`missing ${name}`);
  return value;
}
