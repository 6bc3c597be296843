import Koa from 'koa';
import type { Server } from 'http';
import { jsonBody } from '../../src/http/middleware/json-body';
import { errorHandler } from '../../src/http/middleware/error-handler';
import { silentLogger } from '../../src/logger';

describe('jsonBody', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const app = new Koa();
    app.use(errorHandler(silentLogger()));
    app.use(jsonBody(1024));
    app.use((ctx) => {
      ctx.body = { got: ctx.request.body ?? null };
    });
    server = await new Promise((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const a = server.address();
    url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const post = (body: string, type = 'application/json') =>
    fetch(url, { method: 'POST', body, headers: { 'content-type': type } });

  it('rejects oversize, malformed and non-JSON bodies with 413, 400 and 415', async () => {
    const big = await post(JSON.stringify({ x: 'y'.repeat(5000) }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).error.code).toBe('PAYLOAD_TOO_LARGE');
    const bad = await post('{nope');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe('MALFORMED_JSON');
    expect((await post('a=b', 'application/x-www-form-urlencoded')).status).toBe(415);
  });

  it('refuses deep nesting, duplicated keys and invalid UTF-8 before parsing, with 400', async () => {
    for (const body of ['['.repeat(500) + ']'.repeat(500), '{"a":1,"a":2}', '"' + '\\"'.repeat(300)]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).error.code).toBe('MALFORMED_JSON');
    }
    const bytes = await fetch(url, {
      method: 'POST',
      body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
      headers: { 'content-type': 'application/json' },
    });
    expect(bytes.status).toBe(400);
  });

  it('parses JSON', async () => {
    const ok = await post('{"a":1}');
    expect(await ok.json()).toEqual({ got: { a: 1 } });
  });
});
