import { signatureHeader } from './webhook-signature';

/** What a receiver answered (or why there was no answer). */
export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

const EXCERPT_CHARS = 512;

/** Reads at most the first few hundred characters of an answer and drops the rest unread. */
async function excerptOf(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_CHARS * 4) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS);
  return text === '' ? null : text;
}

/**
 * One signed POST (DESIGN §11): the JSON body as sent is what is signed, `Siyu-Event-Id` lets the receiver
 * drop a repeat (delivery is at least once); only a 2xx within the timeout counts, a redirect is not followed.
 */
export async function sendWebhook(
  url: string,
  secret: string,
  eventId: string,
  body: string,
  timeoutMs: number,
): Promise<SendResult> {
  const start = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Siyu-Webhooks/1',
        'siyu-event-id': eventId,
        'siyu-signature': signatureHeader(secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
    const responseExcerpt = await excerptOf(res);
    const ok = res.status >= 200 && res.status < 300;
    return {
      ok,
      statusCode: res.status,
      latencyMs: performance.now() - start,
      error: ok ? null : `HTTP ${res.status}`,
      responseExcerpt,
    };
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    const reason =
      e.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (e.cause?.code ?? e.cause?.message ?? e.message ?? 'request failed');
    return {
      ok: false,
      statusCode: null,
      latencyMs: performance.now() - start,
      error: reason.slice(0, 255),
      responseExcerpt: null,
    };
  }
}
