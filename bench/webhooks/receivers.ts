import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

/** One local receiver: answers per `behaviour`, counts receipts per event id and the event-to-receipt latency. */
export interface BenchReceiver {
  name: string;
  url: string;
  received: number;
  unique: Set<string>;
  latenciesMs: number[];
  close(): Promise<void>;
}

export async function startReceiver(
  name: string,
  behaviour: { delayMs?: number; failRate?: number },
): Promise<BenchReceiver> {
  const r: Omit<BenchReceiver, 'url' | 'close'> = { name, received: 0, unique: new Set(), latenciesMs: [] };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const answer = (): void => {
        if (behaviour.failRate && Math.random() < behaviour.failRate) {
          res.writeHead(500).end('try later');
          return;
        }
        const id = String(req.headers['siyu-event-id']);
        r.received++;
        if (!r.unique.has(id)) {
          r.unique.add(id);
          const sentAt = Number((JSON.parse(body) as { data: { t: number } }).data.t);
          r.latenciesMs.push(Date.now() - sentAt);
        }
        res.writeHead(200).end('ok');
      };
      if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return Object.assign(r, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
