import { fork, type ChildProcess } from 'child_process';
import path from 'path';
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'fs';
import { tmpdir } from 'os';
import { openDatabase } from '../src/storage/data-source';
import { freshDatabase } from './shared/fresh-database';
import { cpuSeconds, databaseServerPid } from './shared/process-cpu';
import { select } from '../src/storage/sql';
import { BENCH_OA, buildCallbacks, type PrebuiltCallback } from './callbacks/requests';
import { runLoad, type LoadResult } from './callbacks/load';

/**
 * Callback ingest (DESIGN §9): co-wechat (verifies, decrypts, stores nothing) against Siyu (verifies,
 * decrypts, parses and commits every callback to the inbox before acking) with the same encrypted OA text
 * callbacks (distinct MsgIds, built beforehand) and the same load (autocannon, fixed connections and
 * duration), once on SQLite and once on MySQL (a fresh database each). Each server runs in its own process.
 * After the Siyu run every acked MsgId is looked up in the inbox. Target: Siyu/co-wechat ≥ 1.0.
 * Run: npm run bench:callbacks [-- --connections 20 --duration 10 --rounds 3 --pool 120000 --db sqlite,mysql]
 * MySQL server: BENCH_MYSQL_URL (default mysql://root:@127.0.0.1:3306/).
 */
function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : def;
}
const connections = Number(arg('connections', '20'));
const duration = Number(arg('duration', '10'));
const poolSize = Number(arg('pool', '120000'));
const rounds = Number(arg('rounds', '3'));
const databases = arg('db', 'sqlite,mysql').split(',');
const mysqlBase = process.env.BENCH_MYSQL_URL ?? 'mysql://root:@127.0.0.1:3306/';

function startServer(
  which: 'co-wechat' | 'siyu',
  env: NodeJS.ProcessEnv = {},
): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(path.join(__dirname, 'callbacks', 'server.js'), [which], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { type?: string; url?: string }) =>
      m.type === 'ready' && m.url ? resolve({ url: m.url, child }) : reject(new Error('bad ready message')),
    );
    child.once('exit', (code) => reject(new Error(`${which} server exited with ${code}`)));
  });
}

/** user+system CPU microseconds the server process has used so far. */
function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const on = (m: { type?: string; usage?: NodeJS.CpuUsage }) => {
      if (m.type !== 'cpu' || !m.usage) return;
      child.off('message', on);
      resolve(m.usage.user + m.usage.system);
    };
    child.on('message', on);
    child.send({ type: 'cpu' });
  });
}

/**
 * user+system CPU microseconds of a local MySQL/MariaDB server process, when there is one on this machine
 * (Linux /proc): it shares the cores with both benchmark servers, so its work per callback is part of what
 * Siyu's durable ack costs. It counts every client of that server, other users' queries included.
 */
function databaseServerCpu(): number | undefined {
  const s = cpuSeconds(databaseServerPid());
  return s === undefined ? undefined : s * 1_000_000;
}

/** Load against one server, with the server's CPU time per request (and the database server's, on MySQL). */
async function measure(
  which: 'co-wechat' | 'siyu',
  callbacks: PrebuiltCallback[],
  env: NodeJS.ProcessEnv = {},
): Promise<Measured> {
  const s = await startServer(which, env);
  const before = await serverCpu(s.child);
  const dbBefore = env.BENCH_DATABASE_URL?.startsWith('mysql:') ? databaseServerCpu() : undefined;
  const r = await runLoad(s.url, callbacks, connections, duration);
  const used = (await serverCpu(s.child)) - before;
  const dbAfter = dbBefore === undefined ? undefined : databaseServerCpu();
  await stopServer(s.child);
  const perReq = (us: number) => us / Math.max(1, r.sent);
  return {
    ...r,
    cpuUsPerReq: perReq(used),
    ...(dbAfter !== undefined ? { dbCpuUsPerReq: perReq(dbAfter - dbBefore!) } : {}),
  };
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.send({ type: 'stop' });
  });
}

/**
 * The disk's fsync latency next to the database: Siyu's ack waits for one per group commit (SQLite: the WAL;
 * MySQL: InnoDB's log), so at a fixed number of connections it bounds Siyu's rate; co-wechat never syncs.
 */
function fsyncLatencyMs(dir: string): { p50: number; p99: number } {
  const file = path.join(dir, 'fsync-probe');
  const fd = openSync(file, 'w');
  const times: number[] = [];
  try {
    for (let i = 0; i < 50; i++) {
      writeSync(fd, Buffer.alloc(4096, i));
      const t = performance.now();
      fdatasyncSync(fd);
      times.push(performance.now() - t);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  times.sort((a, b) => a - b);
  return { p50: times[25]!, p99: times[49]! };
}

/** Every acked MsgId must be a committed inbox row (DESIGN §6: ack only after the commit). */
async function verifyInbox(
  url: string,
  acked: string[],
): Promise<{ rows: number; missing: number; processed: number }> {
  const ds = await openDatabase({ url });
  try {
    const rows = await select<{ dedupe_key: string; status: string }>(ds, 'SELECT dedupe_key, status FROM inbox');
    const keys = new Set(rows.map((r) => r.dedupe_key.slice(r.dedupe_key.lastIndexOf(':') + 1)));
    return {
      rows: rows.length,
      missing: acked.filter((m) => !keys.has(m)).length,
      processed: rows.filter((r) => r.status === 'done').length,
    };
  } finally {
    await ds.destroy();
  }
}

type Measured = LoadResult & { cpuUsPerReq: number; dbCpuUsPerReq?: number };

const fmt = (r: Measured) =>
  `${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   acked ${r.acked}/${r.sent}   server CPU ${r.cpuUsPerReq.toFixed(0)} µs/req` +
  (r.dbCpuUsPerReq !== undefined ? ` (+ mysqld ${r.dbCpuUsPerReq.toFixed(0)} µs/req)` : '');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Rounds alternate co-wechat and Siyu under identical settings, so a noisy machine affects both alike; the
 * reported ratio is the median of the per-round ratios. Every Siyu round gets a fresh database and MsgIds
 * never sent before.
 */
async function main(): Promise<void> {
  console.log(
    `callback ingest: ${connections} connections × ${duration} s per run, ${rounds} round(s) per database, encrypted OA text callbacks (safe mode), ${poolSize} distinct MsgIds per round`,
  );
  const summary: string[] = [];
  let batch = 0;
  for (const kind of databases) {
    const ratios: number[] = [];
    let missing = 0;
    console.log(`\n[${kind}]`);
    for (let round = 1; round <= rounds; round++) {
      const callbacks = buildCallbacks(
        poolSize,
        `/wechat/official-account/${BENCH_OA.appId}`,
        7_000_000_000_000_000_000n + BigInt(batch++) * 10_000_000n,
      );
      const disk = fsyncLatencyMs(tmpdir());
      const co = await measure('co-wechat', callbacks);
      const db = await freshDatabase(kind === 'sqlite' ? 'sqlite' : mysqlBase);
      try {
        const siyu = await measure('siyu', callbacks, { BENCH_DATABASE_URL: db.url });
        const check = await verifyInbox(db.url, siyu.ackedMsgIds);
        const ratio = siyu.rps / co.rps;
        ratios.push(ratio);
        missing += check.missing;
        console.log(`  round ${round} (disk fdatasync p50 ${disk.p50.toFixed(2)} ms, p99 ${disk.p99.toFixed(2)} ms)`);
        console.log(`    co-wechat  ${fmt(co)}`);
        console.log(`    siyu       ${fmt(siyu)}`);
        console.log(
          `    inbox: ${check.rows} rows, ${check.processed} processed so far; acked callbacks missing: ${check.missing}${siyu.repeated ? ' (pool exhausted: repeats sent)' : ''}; ratio ${ratio.toFixed(2)}`,
        );
      } finally {
        await db.drop();
      }
    }
    const r = median(ratios);
    console.log(
      `  median ratio siyu/co-wechat = ${r.toFixed(2)} ${r >= 1 ? '(target ≥ 1.0 met)' : '(below target 1.0)'}; acked but missing from the inbox: ${missing}`,
    );
    summary.push(
      `${kind}: median ratio ${r.toFixed(2)} (rounds ${ratios.map((x) => x.toFixed(2)).join(', ')}), acked-but-missing ${missing}`,
    );
    if (missing > 0) process.exitCode = 1;
  }
  console.log(`\nsummary: ${summary.join('; ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
