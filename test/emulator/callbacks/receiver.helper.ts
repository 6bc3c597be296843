import http from 'http';
import type { AddressInfo } from 'net';
import Koa from 'koa';
import getRawBody from 'raw-body';

/** A local koa stand-in for the gateway: records every request and answers with a scripted reply. */
export interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Reply = { status?: number; body?: string; type?: string } | 'hang';
export type Responder = (req: Received, index: number) => Reply;

export interface Receiver {
  url: string;
  received: Received[];
  respond(fn: Responder): void;
  close(): Promise<void>;
}

export async function startReceiver(initial: Responder = () => ({ body: 'success' })): Promise<Receiver> {
  let responder = initial;
  const received: Received[] = [];
  const hanging: Array<() => void> = [];
  const app = new Koa();
  app.use(async (ctx) => {
    const body = await getRawBody(ctx.req, { encoding: 'utf8' });
    const query = Object.fromEntries(Object.entries(ctx.query).map(([k, v]) => [k, String(v)]));
    const req: Received = { method: ctx.method, path: ctx.path, query, headers: ctx.headers, body };
    received.push(req);
    const reply = responder(req, received.length - 1);
    if (reply === 'hang') {
      await new Promise<void>((resolve) => hanging.push(resolve));
      return;
    }
    ctx.status = reply.status ?? 200;
    if (reply.body !== undefined) ctx.body = reply.body;
    if (reply.type) ctx.type = reply.type;
  });
  const handle = app.callback();
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    respond(fn) {
      responder = fn;
    },
    async close() {
      hanging.splice(0).forEach((r) => r());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
