import Koa from 'koa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Server } from 'http';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/storage/data-source';
import { testDialect } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
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
    for (const [path, code] of [
      ['/busy', 'DB_BUSY'],
      ['/down', 'DB_UNAVAILABLE'],
      ['/token', 'TOKEN_UNAVAILABLE'],
    ] as const) {
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

(testDialect === 'sqlite' ? describe : describe.skip)('a busy SQLite database, through the real app', () => {
  let dir: string;
  let ds: DataSource;
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'siyu-busy-'));
    const url = `sqlite:${path.join(dir, 'busy.db')}`;
    ds = await openDatabase({ url, busyTimeoutMs: 300 }, { migrate: true });
    t = await startTestApp(ds, testConfig(url));
    key = await t.key('operator');
  });
  afterAll(async () => {
    await t.close();
    await ds.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const expectBusy = (r: { status: number; headers: Headers; body: unknown }) => {
    expect([r.status, r.headers.get('retry-after'), r.body]).toEqual([
      503,
      '1',
      { error: { code: 'DB_BUSY', message: 'temporarily unavailable, retry shortly' } },
    ]);
  };

  it('answers 503 DB_BUSY while this process holds the connection past the busy timeout', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = ds.transaction(() => held);
    try {
      expectBusy(await t.request('/api/v1/syncs', { key }));
    } finally {
      release();
      await tx;
    }
    expect((await t.request('/api/v1/syncs', { key })).status).toBe(200);
  });

  it('answers 503 DB_BUSY while another process holds the write lock past the busy timeout', async () => {
    // A second connection to the same file stands for another process (a CLI run, a second gateway).
    const other = await openDatabase({ url: `sqlite:${path.join(dir, 'busy.db')}` }, { migrate: false });
    let locked!: () => void;
    const hasLock = new Promise<void>((r) => (locked = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = other
      .transaction(async (m) => {
        await m.query('CREATE TABLE busy_probe (x INTEGER)');
        locked();
        await held;
        throw new Error('roll back');
      })
      .catch(() => undefined);
    try {
      await hasLock;
      expectBusy(await t.request('/api/v1/tag-groups', { method: 'POST', json: { name: 'VIP' }, key }));
    } finally {
      release();
      await tx;
      await other.destroy();
    }
    expect((await t.request('/api/v1/tag-groups', { method: 'POST', json: { name: 'VIP' }, key })).status).toBe(201);
  });
});
