import Koa from 'koa';
import type { Server } from 'http';
import { errorHandler } from '../../src/http/middleware/error-handler';
import { silentLogger } from '../../src/logger';
import { StorageError } from '../../src/storage/errors';
import { TokenUnavailableError } from '../../src/tokens/token-errors';

describe('error handler', () => {
  let server: Server;
  let url: string;
  const throwers: Record<string, () => never> = {
    '/busy': () => {
      throw new StorageError('DB_BUSY', 'database is locked');
    },
    '/down': () => {
      throw new StorageError('DB_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:3306');
    },
    '/token': () => {
      throw new TokenUnavailableError('oa1', 'oa_access_token', 'stable', 'the refresh is still running');
    },
    '/bug': () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    },
  };
  beforeAll(async () => {
    const app = new Koa();
    app.use(errorHandler(silentLogger()));
    app.use((ctx) => throwers[ctx.path]!());
    server = await new Promise((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const a = server.address();
    url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers a busy or unreachable database and a token still being refreshed with 503 and Retry-After, no internals', async () => {
    for (const [path, code] of [['/busy', 'DB_BUSY'], ['/down', 'DB_UNAVAILABLE'], ['/token', 'TOKEN_UNAVAILABLE']] as const) {
      const res = await fetch(url + path);
      const text = await res.text();
      expect([path, res.status, res.headers.get('retry-after')]).toEqual([path, 503, '1']);
      expect(JSON.parse(text)).toEqual({ error: { code, message: 'temporarily unavailable, retry shortly' } });
      expect(text).not.toMatch(/ECONNREFUSED|stable|oa1/);
    }
  });

  it('answers anything else with 500 INTERNAL and never the error text', async () => {
    const res = await fetch(`${url}/bug`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
  });
});
