import { Clock } from '../clock';
import type { CallbackMode, CallbackTarget } from '../plugin-types';
import { stringField, type CallbackMessage } from './callback-message';
import { numericNonce } from './callback-ids';
import { clip, DeliveryLog, type AttemptRecord, type DeliveryRecord } from './delivery-log';
import { prepareRequest, type PreparedRequest } from './envelope';
import { httpCall, TransportError } from './http-transport';
import { CallbackInputError } from './oa-event.builder';
import { verifyReply } from './reply-verifier';

/**
 * Delivers one callback like WeChat does (wechat-api.md §4.4, §5.10): POST, wait at most 5 s, and on a timeout,
 * network error or non-2xx status send the identical request again, 3 deliveries in total by default. Any 2xx
 * ends the retries (WeChat does not retry a bad passive reply; the user just sees an error), and the reply is
 * judged and recorded for assertions.
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html
 */
export interface SendOptions {
  /** Overrides the target's callback URL. */
  url?: string;
  mode?: CallbackMode;
  format?: 'xml' | 'json';
  /** Per-attempt timeout; WeChat's is 5000 ms. */
  timeoutMs?: number;
  /** Deliveries in total including the first (WeChat: "retries three times in total"). */
  deliveries?: number;
  /** Extra identical copies sent after a successful delivery (dedupe tests). */
  duplicates?: number;
  label?: string;
  agentId?: string;
  timestamp?: string;
  nonce?: string;
  random16?: Buffer;
  clock?: Clock;
  log?: DeliveryLog;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_DELIVERIES = 3;

export function labelOf(message: CallbackMessage): string {
  const msgType = stringField(message, 'MsgType') ?? 'unknown';
  if (msgType !== 'event') return `message:${msgType}`;
  const event = stringField(message, 'Event') ?? 'unknown';
  const change = stringField(message, 'ChangeType');
  return change === undefined ? `event:${event}` : `${event}:${change}`;
}

export function resolveUrl(target: CallbackTarget, url: string | undefined): string {
  const resolved = url ?? target.url;
  if (!resolved)
    throw new CallbackInputError(`no callback URL for ${target.kind} ${target.id}: configure one or pass url`);
  return resolved;
}

export async function attemptOnce(
  req: Pick<PreparedRequest, 'url' | 'body' | 'contentType'> & { method: 'GET' | 'POST' },
  attempt: number,
  timeoutMs: number,
  clock: Clock,
): Promise<AttemptRecord> {
  const at = clock.nowMs();
  const headers: Record<string, string> = req.method === 'POST' ? { 'content-type': req.contentType } : {};
  try {
    const res = await httpCall({
      method: req.method,
      url: req.url,
      headers,
      body: req.method === 'POST' ? req.body : undefined,
      timeoutMs,
    });
    const ok = res.status >= 200 && res.status < 300;
    return {
      attempt,
      at,
      outcome: ok ? 'delivered' : 'http-error',
      status: res.status,
      body: clip(res.body),
      latencyMs: res.latencyMs,
    };
  } catch (e) {
    if (!(e instanceof TransportError)) throw e;
    return {
      attempt,
      at,
      outcome: e.code === 'TIMEOUT' ? 'timeout' : 'network-error',
      latencyMs: e.latencyMs,
      error: e.message,
    };
  }
}

export async function sendCallback(
  target: CallbackTarget,
  message: CallbackMessage,
  opts: SendOptions = {},
): Promise<DeliveryRecord> {
  const clock = opts.clock ?? new Clock();
  const deliveries = opts.deliveries ?? DEFAULT_DELIVERIES;
  if (!Number.isInteger(deliveries) || deliveries < 1)
    throw new CallbackInputError('deliveries must be an integer ≥ 1');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const mode = target.kind === 'wecom' ? 'safe' : (opts.mode ?? target.mode);
  const format = opts.format ?? target.format;
  const prepared = prepareRequest(target, resolveUrl(target, opts.url), message, {
    mode,
    format,
    timestamp: opts.timestamp ?? String(clock.nowSeconds()),
    nonce: opts.nonce ?? numericNonce(),
    random16: opts.random16,
    agentId: opts.agentId,
  });
  const log = opts.log ?? new DeliveryLog();
  const record: DeliveryRecord = {
    id: log.nextId(),
    kind: target.kind,
    targetId: target.id,
    label: opts.label ?? labelOf(message),
    url: prepared.url,
    mode: prepared.mode,
    format: prepared.format,
    method: 'POST',
    query: prepared.query,
    body: prepared.body,
    plaintext: prepared.plaintext,
    createdAt: clock.nowMs(),
    attempts: [],
    delivered: false,
  };
  log.add(record);
  const ctx = { mode: prepared.mode, format: prepared.format, inbound: message };
  const send = async (n: number, injected?: 'duplicate'): Promise<AttemptRecord> => {
    const a = await attemptOnce({ ...prepared, method: 'POST' }, n, timeoutMs, clock);
    if (a.outcome === 'delivered') a.reply = verifyReply(target, ctx, a.body ?? '');
    if (injected) a.injected = injected;
    record.attempts.push(a);
    return a;
  };
  for (let n = 1; n <= deliveries && !record.delivered; n++) {
    record.delivered = (await send(n)).outcome === 'delivered';
  }
  if (record.delivered) {
    for (let d = 0; d < (opts.duplicates ?? 0); d++) await send(record.attempts.length + 1, 'duplicate');
  }
  return record;
}
