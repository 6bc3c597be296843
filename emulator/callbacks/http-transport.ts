import http, { type IncomingHttpHeaders } from 'http';
import https from 'https';
import { performance } from 'perf_hooks';

/**
 * Outbound HTTP for the callback sender and the Pay notifier. node:http rather than fetch so a timeout can
 * destroy the socket exactly as WeChat "drops the connection" after 5 s (wechat-api.md §4.4), and so the
 * response body is read as raw text whatever its content type. Keep-alive agents: benchmarks send many callbacks
 * to one gateway and must not exhaust ephemeral ports.
 */
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256 });
const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface HttpCall {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResult {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
  latencyMs: number;
}

export class TransportError extends Error {
  constructor(
    readonly code: 'TIMEOUT' | 'NETWORK',
    message: string,
    readonly latencyMs: number,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export function httpCall(call: HttpCall): Promise<HttpResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 100) / 100;
  const url = new URL(call.url);
  const client = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { ...call.headers };
  if (call.body !== undefined) headers['content-length'] = String(Buffer.byteLength(call.body));
  return new Promise<HttpResult>((resolve, reject) => {
    let timedOut = false;
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (timedOut) reject(new TransportError('TIMEOUT', `no response within ${call.timeoutMs} ms`, elapsed()));
      else reject(new TransportError('NETWORK', e.message, elapsed()));
    };
    const req = client.request(
      url,
      { method: call.method, headers, agent: url.protocol === 'https:' ? httpsAgent : httpAgent },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
            latencyMs: elapsed(),
          });
        });
        res.on('error', fail);
        res.on('close', () => fail(new Error('connection closed before the response ended')));
      },
    );
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy();
      fail(new Error('timeout'));
    }, call.timeoutMs);
    req.on('error', fail);
    req.end(call.body);
  });
}
