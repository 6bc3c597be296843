import http from 'http';
import type { WireCallback } from './callbacks';
import { dueMs } from './mix';

export interface SendResult {
  offered: number;
  /** Answered 2xx. */
  acked: number;
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number;
  /** Sent more than LATE_MS after their slot: every socket was busy, or the sender's own loop was behind. */
  late: number;
  /** Never sent: still waiting for a socket when the step's send window closed. */
  unsent: number;
  /** performance.now() of the first and last send, and of the last answer. */
  firstSendAt: number;
  lastSendAt: number;
  lastAnswerAt: number;
  /** Date.now() at the first and the last send, to set against the database's times. */
  firstSendUnixMs: number;
  lastSendUnixMs: number;
}

export interface SenderOptions {
  rate: number;
  /** Requests in flight at most (sockets of the keep-alive agent). */
  maxInFlight: number;
  /** A request unanswered this long counts as an error (WeChat gives up after 5 s and retries). */
  timeoutMs: number;
  /** After the last slot, how long a waiting callback may still be sent. */
  graceMs: number;
}

/** How late a send may be and still count as on time (a timer's granularity on a loaded machine). */
export const LATE_MS = 50;

/**
 * An open-loop sender: callback i is due at start + i/rate whatever the earlier answers did (a closed loop would
 * slow down with the gateway and hide exactly the backlog this bench looks for). At most `maxInFlight` requests
 * are open; a due callback that finds them all busy waits for a socket and counts as late.
 */
export async function sendOpenLoop(
  url: string,
  callbacks: readonly WireCallback[],
  startUnixMs: number,
  o: SenderOptions,
): Promise<SendResult> {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.maxInFlight });
  const r: SendResult = {
    offered: callbacks.length,
    acked: 0,
    errors: 0,
    late: 0,
    unsent: 0,
    firstSendAt: NaN,
    lastSendAt: NaN,
    lastAnswerAt: NaN,
    firstSendUnixMs: NaN,
    lastSendUnixMs: NaN,
  };
  let inFlight = 0;
  let next = 0;
  let freed: (() => void) | undefined;
  const answers: Promise<void>[] = [];
  const send = (cb: WireCallback): Promise<void> =>
    new Promise((resolve) => {
      inFlight++;
      const done = (ok: boolean): void => {
        if (ok) r.acked++;
        else r.errors++;
        inFlight--;
        r.lastAnswerAt = performance.now();
        freed?.();
        resolve();
      };
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: cb.path,
          agent,
          headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(cb.body) },
          timeout: o.timeoutMs,
        },
        (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300));
          res.on('error', () => done(false));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => done(false));
      req.end(cb.body);
    });

  // Slot 0 goes at `startUnixMs`, the time its CreateTime was taken from.
  const early = startUnixMs - Date.now();
  if (early > 0) await new Promise((res) => setTimeout(res, early));
  const t0 = performance.now();
  const closeAt = t0 + dueMs(callbacks.length, o.rate) + o.graceMs;
  while (next < callbacks.length) {
    const now = performance.now();
    if (now > closeAt) break;
    const due = t0 + dueMs(next, o.rate);
    if (due > now) {
      await new Promise((res) => setTimeout(res, Math.max(0, due - now - 1)));
      continue;
    }
    if (inFlight >= o.maxInFlight) {
      await new Promise<void>((res) => (freed = res));
      freed = undefined;
      continue;
    }
    // Every due callback goes out in this turn, so a timer that fired late does not lower the offered rate.
    if (now - due > LATE_MS) r.late++;
    if (Number.isNaN(r.firstSendAt)) {
      r.firstSendAt = now;
      r.firstSendUnixMs = Date.now();
    }
    r.lastSendAt = now;
    answers.push(send(callbacks[next++]!));
  }
  r.unsent = callbacks.length - next;
  r.lastSendUnixMs = r.firstSendUnixMs + (r.lastSendAt - r.firstSendAt);
  await Promise.all(answers);
  agent.destroy();
  return r;
}
