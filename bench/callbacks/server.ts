import Koa from 'koa';
import type { Server } from 'http';
import { loadConfig } from '../../config';
import { startGateway } from '../../src/server';
import { BENCH_OA } from './requests';

/**
 * One benchmark server in its own process (so the load generator and the server do not share an event loop):
 * `co-wechat` (verifies and decrypts, stores nothing, acks with an empty body) or `siyu` (the real gateway on
 * the database given in BENCH_DATABASE_URL). Tells the parent its URL over IPC; stops on a `stop` message.
 */
// co-wechat ships no types; its middleware factory is all we use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const coWechat = require('co-wechat') as (cfg: { token: string; appid: string; encodingAESKey: string }) => {
  middleware(handle: (message: unknown) => Promise<string>): Koa.Middleware;
};

async function startCoWechat(): Promise<{ url: string; stop(): Promise<void> }> {
  const app = new Koa();
  app.use(
    coWechat({ token: BENCH_OA.token, appid: BENCH_OA.appId, encodingAESKey: BENCH_OA.encodingAESKey }).middleware(
      async () => '',
    ),
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise((r) => server.close(() => r())) };
}

async function startSiyu(): Promise<{ url: string; stop(): Promise<void> }> {
  const config = loadConfig({
    env: {},
    overrides: {
      server: { host: '127.0.0.1', port: 0 },
      database: { url: process.env.BENCH_DATABASE_URL, migrate: true },
      log: { level: 'warn' },
      jobs: { enabled: false },
      security: { dataKey: 'c'.repeat(64) },
      accounts: [
        {
          kind: 'official-account',
          appId: BENCH_OA.appId,
          appSecret: 'bench',
          token: BENCH_OA.token,
          encodingAESKey: BENCH_OA.encodingAESKey,
          originalId: BENCH_OA.originalId,
        },
      ],
    },
  });
  const gw = await startGateway(config, { port: 0 });
  return { url: gw.url, stop: () => gw.stop() };
}

async function main(): Promise<void> {
  const which = process.argv[2];
  const running = which === 'co-wechat' ? await startCoWechat() : await startSiyu();
  process.on('message', (m: { type?: string }) => {
    // CPU time of this process, so the report can show server CPU per request independently of other load.
    if (m.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() });
    if (m.type === 'stop') void running.stop().then(() => process.exit(0));
  });
  process.send!({ type: 'ready', url: running.url });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
