import type { Server } from 'http';
import type { DataSource } from './storage';
import type { SiyuConfig } from '../config';
import type { AppContext } from './app-context';
import { createServices, type Services, type ServicesOptions } from './services';
import { createApp } from './http/app';
import { trackInFlight } from './http/in-flight';
import { HttpMetrics } from './http/metrics';
import { createLogger, type Logger } from './logger';
import { openDatabase } from './storage/data-source';
import { migrateUp } from './storage/migrate';
import { observeConflicts } from './storage/conflict-retry';
import { startBackground, type Background } from './background';

export interface RunningGateway {
  url: string;
  app: Services;
  server: Server;
  /** Graceful stop: refuse new connections, finish in-flight requests and the current batch, close the DB. */
  stop(): Promise<void>;
}

export interface ContextOptions {
  logger?: Logger;
  /** An open DataSource to use instead of opening `config.database` (migrated when the config says so). */
  ds?: DataSource;
  /** See HttpMetricsOptions: on only for the process's own gateway (`siyu serve`). */
  processMetrics?: boolean;
}

export async function buildContext(config: SiyuConfig, opts: ContextOptions = {}): Promise<AppContext> {
  const { ds } = opts;
  const log = opts.logger ?? createLogger(config.log.level);
  let database: DataSource;
  if (ds) {
    database = ds;
    if (config.database.migrate) await migrateUp(ds);
  } else database = await openDatabase(config.database, { migrate: config.database.migrate });
  const metrics = new HttpMetrics({ processMetrics: opts.processMetrics });
  observeConflicts(database, { registry: metrics.registry, logger: log.child({ module: 'storage' }) });
  return { config, ds: database, logger: log, metrics, now: () => Date.now() };
}

/** How long the gateway keeps an idle HTTP/1.1 connection open for the next request. */
export const KEEP_ALIVE_MS = 65_000;

/** Only this module (and the CLI) listens; tests use createApp(...).callback() or startGateway on port 0. */
export async function startGateway(
  config: SiyuConfig,
  opts: ContextOptions & { port?: number; services?: ServicesOptions } = {},
): Promise<RunningGateway> {
  const app = createServices(await buildContext(config, opts), opts.services);
  const koa = createApp(app);
  const inFlight = trackInFlight(koa);
  // Listen before starting workers: a taken port must fail fast and leave nothing running (or the DB open).
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = koa.listen(opts.port ?? config.server.port, config.server.host, () => resolve(s));
      s.once('error', reject);
    });
  } catch (err) {
    if (!opts.ds && app.ds.isInitialized) await app.ds.destroy();
    throw err;
  }
  const background: Background = startBackground(app);
  // An idle kept-alive socket is closed by the server only well after any client or proxy stops reusing it (fetch
  // reuses one until the server's Keep-Alive hint less 2 s; proxies commonly 60 s): closing first races the client's
  // next request on it, which fails with ECONNRESET, and a POST is not retried (nodejs/undici#3141).
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.server.port;
  const url = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      inFlight.stopAccepting();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests already inside the app finish first (a callback is acked only after its inbox commit), even
      // when their clients hung up and the sockets are gone.
      if (!(await inFlight.drained(10_000))) app.logger.warn('stopping with requests still in flight after 10 s');
      await background.stop();
      await app.welcomes.settled();
      await app.groupRereads.settled();
      await app.imports.stop();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000).unref())]);
      server.closeAllConnections();
      if (app.ds.isInitialized) await app.ds.destroy();
    })());
  return { url, app, server, stop };
}
