import path from 'path';
import mysql2 from 'mysql2/promise';
import type { Account } from '../config';
import { startChild } from './shared/child-process';
import { arg, benchDatabase } from './shared/fresh-database';
import { rawBaseline } from './sync/raw-baseline';
import { describe, serverContext, snapshot } from './sync/where-time-goes';

/**
 * Full OA follower sync at scale (DESIGN §9): N followers served by the emulator (its own process)
 * synced into MySQL by the real sync (its own process: user/get pages, batchget of 100, bulk identity
 * resolution, oa_subscriptions) — then, in the same run, the raw baseline: the same rows upserted with mysql2
 * into one table. Prints followers/s, wall time, the sync's peak RSS, the baseline's rows/s and the ratio.
 * Targets: ratio ≥ 0.25, peak RSS ≤ 300 MB.
 * Also prints CPU seconds of the sync, the database server and the emulator over the sync, and InnoDB's buffer
 * pool reads and pages written (where-time-goes.ts). `--cpu-prof <dir>` writes the sync process's V8 profile.
 * Run: npm run bench:sync -- --followers 1000000 [--database mysql://root:@127.0.0.1:3306/<fresh>] [--keep]
 *   [--cpu-prof <dir>] [--writers N --batch N --window N --lookahead N (followers sync settings, for experiments)]
 */
interface SyncResult {
  runs: { status: string; processed: number; created: number; error: string | null; ms: number }[];
  ms: number;
  maxRssMb: number;
  sampledMaxRssMb: number;
  heapTotalMaxMb: number;
  externalMaxMb: number;
  baseRssMb: number;
  cpuSeconds: number;
}

async function main(): Promise<void> {
  const followers = Number(arg('followers', '1000000'));
  const db = await benchDatabase(arg('database'));
  const profDir = arg('cpu-prof');
  const tuning = Object.fromEntries(
    (['writers', 'batch:batchSize', 'window:windowPages', 'lookahead'] as const).flatMap((spec) => {
      const [flag, key = flag] = spec.split(':') as [string, string?];
      const v = arg(flag);
      return v === undefined ? [] : [[key, Number(v)]];
    }),
  );
  if (Object.keys(tuning).length > 0) console.log(`followers sync tuning: ${JSON.stringify(tuning)}`);
  console.log(
    `follower sync bench: ${followers.toLocaleString('en')} followers → ${db.url.replace(/\/\/[^@]*@/, '//')}`,
  );
  const dir = path.join(__dirname, 'sync');
  const emu = await startChild(
    path.join(__dirname, 'shared'),
    'emulator-child',
    {
      BENCH_WORLD: JSON.stringify({
        seed: 11,
        followers,
        officialAccounts: 1,
        miniPrograms: 0,
        corps: 0,
        merchants: 0,
      }),
    },
    ['--max-old-space-size=4096'],
  );
  try {
    console.log(`emulator seeded in ${(Number(emu.ready.seedMs) / 1000).toFixed(1)} s at ${String(emu.ready.url)}`);
    const accounts = emu.ready.accounts as Account[];
    const oa = accounts.find((a) => a.kind === 'official-account') as Account & { appId: string };
    const watch = await mysql2.createConnection({ uri: db.url });
    const context = await serverContext(watch);
    const sync = await startChild<SyncResult>(
      dir,
      'sync-child',
      {
        BENCH_DATABASE_URL: db.url,
        BENCH_ACCOUNTS: JSON.stringify(accounts),
        BENCH_SYNCS: JSON.stringify([[oa.appId, 'followers']]),
        BENCH_FOLLOWERS_TUNING: JSON.stringify(tuning),
      },
      profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
    );
    const before = await snapshot(watch, emu.process.pid);
    const r = await sync.result();
    const after = await snapshot(watch, emu.process.pid);
    await watch.end();
    await sync.stop();
    const run = r.runs[0]!;
    if (run.status !== 'done') throw new Error(`sync ended ${run.status}: ${run.error}`);

    const check = await mysql2.createConnection({ uri: db.url });
    const [[counts]] = (await check.query(
      'SELECT (SELECT COUNT(*) FROM oa_subscriptions WHERE subscribed = 1) AS subs, (SELECT COUNT(*) FROM customers) AS customers, (SELECT COUNT(*) FROM identities) AS identities',
    )) as unknown as [[{ subs: number; customers: number; identities: number }]];
    await check.end();

    const raw = await rawBaseline(db.url);
    const syncRate = run.processed / (run.ms / 1000);
    const rawRate = raw.rows / (raw.ms / 1000);
    const ratio = syncRate / rawRate;
    console.log(
      `\nsync      ${run.processed.toLocaleString('en')} followers in ${(run.ms / 1000).toFixed(1)} s = ${syncRate.toFixed(0)} followers/s`,
    );
    console.log(
      `          stored: ${Number(counts.subs).toLocaleString('en')} subscriptions, ${Number(counts.customers).toLocaleString('en')} customers, ${Number(counts.identities).toLocaleString('en')} identities`,
    );
    console.log(
      `          peak RSS ${r.maxRssMb.toFixed(0)} MB (sampled max ${r.sampledMaxRssMb.toFixed(0)} MB, at start ${r.baseRssMb.toFixed(0)} MB; JS heap ≤ ${r.heapTotalMaxMb.toFixed(0)} MB, external ≤ ${r.externalMaxMb.toFixed(0)} MB) ${r.maxRssMb <= 300 ? '(target ≤ 300 MB met)' : '(above target 300 MB)'}`,
    );
    console.log(
      `raw       ${raw.rows.toLocaleString('en')} rows upserted in ${(raw.ms / 1000).toFixed(1)} s = ${rawRate.toFixed(0)} rows/s (mysql2, batches of 1000, INSERT … ON DUPLICATE KEY UPDATE)`,
    );
    for (const line of describe(before, after, r.cpuSeconds)) console.log(line);
    console.log(`context   ${context}`);
    console.log(
      `ratio     sync/raw = ${ratio.toFixed(2)} ${ratio >= 0.25 ? '(target ≥ 0.25 met)' : '(below target 0.25)'}`,
    );
    if (Number(counts.subs) !== followers || Number(counts.customers) !== followers) {
      console.log(`MISMATCH: expected ${followers} subscriptions and customers`);
      process.exitCode = 1;
    }
  } finally {
    await emu.stop();
    if (!process.argv.includes('--keep')) await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
