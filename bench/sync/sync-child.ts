import { loadConfig, type Account } from '../../config';
import { HttpMetrics } from '../../src/http/metrics';
import { createLogger } from '../../src/logger';
import { openDatabase } from '../../src/storage/data-source';
import { followersSync, type FollowersSyncDeps } from '../../src/syncs/oa/followers.sync';
import { createServices } from '../../src/services';
import { syncTasks } from '../../src/syncs/sync-runtime';
import { SyncService } from '../../src/syncs/sync.service';
import { onStopMessage } from '../shared/child-process';

/**
 * One full sync in its own process, so its peak RSS is its own (process.resourceUsage().maxRSS, the kernel's
 * high-water mark, plus sampling every 100 ms for the curve). Env: BENCH_DATABASE_URL, BENCH_ACCOUNTS (JSON),
 * BENCH_SYNCS (JSON list of [accountId, resource]), BENCH_FOLLOWERS_TUNING (JSON: writers, batchSize, windowPages, lookahead).
 */
async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL!;
  const accounts = JSON.parse(process.env.BENCH_ACCOUNTS!) as Account[];
  const runList = JSON.parse(process.env.BENCH_SYNCS!) as [string, string][];
  const config = loadConfig({
    env: {},
    overrides: {
      database: { url, migrate: true },
      log: { level: 'warn' },
      jobs: { enabled: false },
      security: { dataKey: 'd'.repeat(64) },
      accounts,
    },
  });
  const ds = await openDatabase({ url, poolSize: 10 }, { migrate: true });
  const app = createServices({
    config,
    ds,
    logger: createLogger('warn'),
    metrics: new HttpMetrics(),
    now: () => Date.now(),
  });
  const rt = app;
  // Experiments (bench:sync --writers/--batch/--window/--lookahead): the followers task with other pipeline settings.
  const tuning = JSON.parse(process.env.BENCH_FOLLOWERS_TUNING ?? '{}') as Partial<
    Pick<FollowersSyncDeps, 'writers' | 'batchSize' | 'windowPages' | 'lookahead'>
  >;
  const base = syncTasks(rt, app);
  const syncs = new SyncService({
    ds,
    config,
    logger: app.logger,
    now: app.now,
    tasks: (account, resource) =>
      account.kind === 'official-account' && resource === 'followers'
        ? followersSync({ ds, client: (id) => rt.clients.oa(id), resolver: rt.resolver, ...tuning })
        : base(account, resource),
  });
  onStopMessage(() => ds.destroy());
  let sampledMax = 0;
  let heapMax = 0;
  let externalMax = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    sampledMax = Math.max(sampledMax, m.rss);
    heapMax = Math.max(heapMax, m.heapTotal);
    externalMax = Math.max(externalMax, m.external);
  }, 100);
  const baseRss = process.memoryUsage().rss;
  process.send!({ type: 'ready' });
  const runs = [];
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (const [accountId, resource] of runList) {
    const t0 = performance.now();
    const end = await (await syncs.start(accountId, resource, { triggeredBy: 'bench' })).done;
    runs.push({
      accountId,
      resource,
      status: end.status,
      processed: end.processed,
      created: end.created,
      error: end.error,
      ms: performance.now() - t0,
    });
  }
  clearInterval(sampler);
  process.send!({
    type: 'result',
    runs,
    ms: performance.now() - started,
    baseRssMb: baseRss / 2 ** 20,
    sampledMaxRssMb: sampledMax / 2 ** 20,
    heapTotalMaxMb: heapMax / 2 ** 20,
    externalMaxMb: externalMax / 2 ** 20,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    cpuSeconds: ((c) => (c.user + c.system) / 1e6)(process.cpuUsage(cpu0)),
  });
}

main().catch((err: unknown) => {
  process.send?.({ type: 'error', error: String((err as Error).stack ?? err) });
  console.error(err);
  process.exit(1);
});
