import http from 'node:http';
import https from 'node:https';
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

// node:http with keep-alive agents rather than fetch: undici costs several times more CPU per small POST, and the
// worker sends many of them to few hosts.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

/**
 * One signed POST (DESIGN §11): the JSON body as sent is what is signed, `Siyu-Event-Id` lets the receiver
 * drop a repeat (delivery is at least once); only a 2xx within the timeout counts, a redirect is not followed.
 * Only the first few hundred characters of the answer are kept.
 */
export function sendWebhook(
  url: string,
  secret: string,
  eventId: string,
  body: string,
  timeoutMs: number,
): Promise<SendResult> {
  const start = performance.now();
  const failed = (reason: string, statusCode: number | null = null): SendResult => ({
    ok: false,
    statusCode,
    latencyMs: performance.now() - start,
    error: reason.slice(0, 255),
    responseExcerpt: null,
  });
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.resolve(failed('invalid URL'));
  }
  const transport = u.protocol === 'https:' ? https : http;
  const agent = u.protocol === 'https:' ? agents['https:'] : agents['http:'];
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: SendResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = transport.request(
      u,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Siyu-Webhooks/1',
          'siyu-event-id': eventId,
          'siyu-signature': signatureHeader(secret, body, Math.floor(Date.now() / 1000)),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < EXCERPT_CHARS * 4) {
            chunks.push(c);
            size += c.length;
          }
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          const text = Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS);
          settle({
            ok,
            statusCode: status,
            latencyMs: performance.now() - start,
            error: ok ? null : `HTTP ${status}`,
            responseExcerpt: text === '' ? null : text,
          });
        });
        res.on('error', (err) => settle(failed(err.message, status(res.statusCode))));
      },
    );
    const timer = setTimeout(() => {
      settle(failed(`no answer within ${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => settle(failed(err.code ?? err.message)));
    req.end(body);
  });
}

const status = (v: number | undefined): number | null => v ?? null;
