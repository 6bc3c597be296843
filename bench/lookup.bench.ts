import path from 'path';
import { openDatabase } from '../src/storage/data-source';
import { startChild } from './shared/child-process';
import { arg, benchDatabase } from './shared/fresh-database';
import { load, type LoadFigures } from './lookup/load';
import { cpuSeconds, databaseServerPid } from './shared/process-cpu';
import { questions } from './lookup/questions';
import { seededSample } from './lookup/seeded-sample';
import { LOOKUP_APP, LOOKUP_OPEN_PLATFORM, seedCustomers } from './lookup/seed-customers';

/**
 * Profile lookup at scale (DESIGN §9): N customers (default 1,000,000) written straight into a fresh MySQL
 * database, the real gateway in its own process, autocannon with fixed connections against
 * `/api/v1/customers/lookup?type=oa_openid…` and `/api/v1/customers/:id` for random sampled customers.
 * Prints p50/p99 per endpoint, database statements per request (the server's global `Questions`) and CPU per
 * request of the gateway and of a local database server (that one counts other clients' work too). Target:
 * p99 ≤ 20 ms. A `--database` that already holds `--customers` seeded customers (left by an earlier `--keep` run)
 * is re-used without seeding; `--cpu-prof <dir>` writes the gateway's V8 CPU profile there.
 * Run: npm run bench:lookup [-- --customers 1000000 --connections 10 --duration 10 --database mysql://…/<fresh>
 *   --keep --cpu-prof /tmp/prof]
 */
async function main(): Promise<void> {
  const customers = Number(arg('customers', '1000000'));
  const connections = Number(arg('connections', '10'));
  const duration = Number(arg('duration', '10'));
  const db = await benchDatabase(arg('database'));
  console.log(
    `lookup bench: ${customers.toLocaleString('en')} customers, ${connections} connections × ${duration} s per endpoint`,
  );
  try {
    const ds = await openDatabase({ url: db.url }, { migrate: true });
    await ds.destroy();
    const t0 = Date.now();
    const seeded = db.fresh ? undefined : await seededSample(db.url, customers);
    const sample = seeded ?? (await seedCustomers(db.url, customers, (s) => console.log(s)));
    console.log(
      `${seeded ? 're-used the seeded database' : `seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s`}; sample of ${sample.length} customers`,
    );
    const account = {
      kind: 'official-account',
      appId: LOOKUP_APP,
      appSecret: 'bench',
      token: 'bench',
      openPlatformId: LOOKUP_OPEN_PLATFORM,
    };
    const profDir = arg('cpu-prof');
    const nodeArgs = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
    const env = { BENCH_DATABASE_URL: db.url, BENCH_ACCOUNTS: JSON.stringify([account]) };
    const gw = await startChild(path.join(__dirname, 'shared'), 'gateway-child', env, nodeArgs);
    try {
      const url = String(gw.ready.url);
      const key = String(gw.ready.key);
      const pick = () => sample[Math.floor(Math.random() * sample.length)]!;
      const lookupPath = () => `/api/v1/customers/lookup?type=oa_openid&scope=${LOOKUP_APP}&value=${pick().openid}`;
      const profilePath = () => `/api/v1/customers/${pick().id}`;
      // Warm-up of both endpoints (not measured): the gateway's JIT and statement caches, and the index pages of
      // the sampled customers in InnoDB's pool, which a database just seeded or re-used does not hold yet.
      await load(url, key, lookupPath, connections, 3);
      await load(url, key, profilePath, connections, 2);
      const server = databaseServerPid();
      const cpu = () => [cpuSeconds(gw.process.pid), cpuSeconds(server)];
      const msPer = (a: number | undefined, b: number | undefined, n: number) =>
        a === undefined || b === undefined ? 'n/a' : (((b - a) * 1000) / n).toFixed(2);
      const measured = async (next: () => string): Promise<LoadFigures & { perRequest: number; cpu: string }> => {
        const before = await questions(db.url);
        const [gw0, db0] = cpu();
        const r = await load(url, key, next, connections, duration);
        const [gw1, db1] = cpu();
        const after = await questions(db.url);
        const n = Math.max(1, r.total);
        return {
          ...r,
          perRequest: (after - before - 1) / n,
          cpu: `CPU ms/req gateway ${msPer(gw0, gw1, n)} db server ${msPer(db0, db1, n)}`,
        };
      };
      const results: [string, LoadFigures & { perRequest: number; cpu: string }][] = [
        ['GET /api/v1/customers/lookup', await measured(lookupPath)],
        ['GET /api/v1/customers/:id   ', await measured(profilePath)],
      ];
      console.log('');
      for (const [name, r] of results) {
        const ok = r.p99 <= 20 && r.non2xx === 0 && r.errors === 0;
        console.log(
          `${name}  ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p90 ${r.p90} ms  p99 ${r.p99} ms  max ${r.max} ms  non-2xx ${r.non2xx}  errors ${r.errors}  ` +
            `${r.perRequest.toFixed(2)} statements/req  ${r.cpu}  ${ok ? '(target p99 ≤ 20 ms met)' : '(target p99 ≤ 20 ms NOT met)'}`,
        );
        if (!ok) process.exitCode = 1;
      }
    } finally {
      await gw.stop();
    }
  } finally {
    if (!process.argv.includes('--keep')) await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
