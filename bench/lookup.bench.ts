import path from 'path';
import { openDatabase } from '../src/storage/data-source';
import { startChild } from './shared/child-process';
import { arg, benchDatabase } from './shared/fresh-database';
import { load, type LoadFigures } from './lookup/load';
import { LOOKUP_APP, LOOKUP_OPEN_PLATFORM, seedCustomers } from './lookup/seed-customers';

/**
 * Profile lookup at scale (DESIGN §9): N customers (default 1,000,000) written straight into a fresh MySQL
 * database, the real gateway in its own process, autocannon with fixed connections against
 * `/api/v1/customers/lookup?type=oa_openid…` and `/api/v1/customers/:id` for random sampled customers.
 * Prints p50/p99 per endpoint. Target: p99 ≤ 20 ms.
 * Run: npm run bench:lookup [-- --customers 1000000 --connections 10 --duration 10 --database mysql://…/<fresh>]
 */
async function main(): Promise<void> {
  const customers = Number(arg('customers', '1000000'));
  const connections = Number(arg('connections', '10'));
  const duration = Number(arg('duration', '10'));
  const db = await benchDatabase(arg('database'));
  console.log(`lookup bench: ${customers.toLocaleString('en')} customers, ${connections} connections × ${duration} s per endpoint`);
  try {
    const ds = await openDatabase({ url: db.url }, { migrate: true });
    await ds.destroy();
    const t0 = Date.now();
    const sample = await seedCustomers(db.url, customers, (s) => console.log(s));
    console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s; sample of ${sample.length} customers`);
    const account = { kind: 'official-account', appId: LOOKUP_APP, appSecret: 'bench', token: 'bench', openPlatformId: LOOKUP_OPEN_PLATFORM };
    const gw = await startChild(path.join(__dirname, 'shared'), 'gateway-child', { BENCH_DATABASE_URL: db.url, BENCH_ACCOUNTS: JSON.stringify([account]) });
    try {
      const url = String(gw.ready.url);
      const key = String(gw.ready.key);
      const pick = () => sample[Math.floor(Math.random() * sample.length)]!;
      const lookupPath = () => `/api/v1/customers/lookup?type=oa_openid&scope=${LOOKUP_APP}&value=${pick().openid}`;
      const profilePath = () => `/api/v1/customers/${pick().id}`;
      await load(url, key, profilePath, connections, 2);
      const results: [string, LoadFigures][] = [
        ['GET /api/v1/customers/lookup', await load(url, key, lookupPath, connections, duration)],
        ['GET /api/v1/customers/:id   ', await load(url, key, profilePath, connections, duration)],
      ];
      console.log('');
      for (const [name, r] of results) {
        const ok = r.p99 <= 20 && r.non2xx === 0 && r.errors === 0;
        console.log(`${name}  ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p90 ${r.p90} ms  p99 ${r.p99} ms  max ${r.max} ms  non-2xx ${r.non2xx}  errors ${r.errors}  ${ok ? '(target p99 ≤ 20 ms met)' : '(target p99 ≤ 20 ms NOT met)'}`);
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
