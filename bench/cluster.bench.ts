import path from 'path';
import mysql2 from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../src/storage/data-source';
import { select } from '../src/storage/sql';
import { LocalCluster, type ClusterNode } from './cluster/local-cluster';
import { BENCH_OA, buildCallbacks, type PrebuiltCallback } from './callbacks/requests';
import { startChild, type Child } from './shared/child-process';

/**
 * Scale-out (DESIGN §9, `bench:cluster`): one gateway on one MariaDB against three gateways on a three-node
 * Galera cluster, on this one machine, in the same run. Both servers are started here with the same settings
 * (LocalCluster; the single one without wsrep), each side on a fresh database. The same encrypted OA text
 * callbacks are sent round-robin over the side's gateways (`connections` at a time); processed/s is the number
 * of inbox rows `done` over the time from the first send to the last row done. All six processes share the same
 * cores, so the ratio measures what conflicts and certification cost, not added capacity. Target ≥ 0.8.
 * Run: npm run bench:cluster [-- --callbacks 6000 --connections 24 --rounds 2]
 */
function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : def;
}
const total = Number(arg('callbacks', '6000'));
const connections = Number(arg('connections', '24'));
const rounds = Number(arg('rounds', '2'));

const ACCOUNT = {
  kind: 'official-account',
  appId: BENCH_OA.appId,
  appSecret: 'bench',
  token: BENCH_OA.token,
  encodingAESKey: BENCH_OA.encodingAESKey,
  originalId: BENCH_OA.originalId,
};

interface SideResult {
  side: string;
  acked: number;
  sent: number;
  ingestPerS: number;
  processedPerS: number;
  errorLines: number;
}

async function createDatabase(node: ClusterNode, name: string): Promise<void> {
  const admin = await mysql2.createConnection({ host: '127.0.0.1', port: node.port, user: 'root' });
  try {
    await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
}

/** Gateway processes, one per node, on an already migrated database; their error-level lines are counted. */
async function startGateways(
  nodes: ClusterNode[],
  database: string,
): Promise<{ children: Child<unknown>[]; urls: string[]; errors: () => number }> {
  let errors = 0;
  const count = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      const level = Number((JSON.parse(line) as { level?: number }).level);
      if (level >= 50) {
        errors++;
        process.stderr.write(`${line}\n`);
      }
    }
  };
  const children = await Promise.all(
    nodes.map((node) =>
      startChild(
        path.join(__dirname, 'shared'),
        'gateway-child',
        { BENCH_DATABASE_URL: node.url(database), BENCH_ACCOUNTS: JSON.stringify([ACCOUNT]) },
        [],
        count,
      ),
    ),
  );
  return { children, urls: children.map((c) => String(c.ready.url)), errors: () => errors };
}

async function doneCount(ds: DataSource): Promise<number> {
  const [row] = await select<{ n: unknown }>(ds, "SELECT COUNT(*) AS n FROM inbox WHERE status = 'done'");
  return Number(row?.n ?? 0);
}

async function runSide(side: string, nodes: ClusterNode[], round: number): Promise<SideResult> {
  const database = `siyu_bench_${side.replace(/\W/g, '')}_${round}_${Date.now()}`;
  await createDatabase(nodes[0]!, database);
  const ds = await openDatabase({ url: nodes[0]!.url(database), poolSize: 2 }, { migrate: true });
  const gateways = await startGateways(nodes, database);
  try {
    const callbacks: PrebuiltCallback[] = buildCallbacks(
      total,
      `/wechat/official-account/${BENCH_OA.appId}`,
      BigInt(1_000_000 * (round + 1)),
    );
    let next = 0;
    let acked = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < callbacks.length) {
          const i = next++;
          const cb = callbacks[i]!;
          const res = await fetch(gateways.urls[i % gateways.urls.length]! + cb.path, {
            method: 'POST',
            headers: { 'content-type': 'text/xml' },
            body: cb.body,
          });
          if (res.status === 200 && (await res.text()) === 'success') acked++;
        }
      }),
    );
    const ingested = performance.now();
    for (;;) {
      if ((await doneCount(ds)) >= acked) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const finished = performance.now();
    return {
      side,
      acked,
      sent: callbacks.length,
      ingestPerS: acked / ((ingested - started) / 1000),
      processedPerS: acked / ((finished - started) / 1000),
      errorLines: gateways.errors(),
    };
  } finally {
    await Promise.all(gateways.children.map((c) => c.stop()));
    await ds.query(`DROP DATABASE ${database}`).catch(() => undefined);
    await ds.destroy();
  }
}

const fmt = (r: SideResult) =>
  `${r.side.padEnd(30)} processed ${r.processedPerS.toFixed(0).padStart(6)}/s   ingest ${r.ingestPerS
    .toFixed(0)
    .padStart(6)}/s   acked ${r.acked}/${r.sent}   error lines ${r.errorLines}`;

async function main(): Promise<void> {
  const single = new LocalCluster({ mode: 'standalone', basePort: Number(arg('single-port', '23506')) });
  const cluster = new LocalCluster({ basePort: Number(arg('cluster-port', '23606')) });
  try {
    process.stdout.write('starting one MariaDB and a three-node Galera cluster (same settings)…\n');
    await single.start();
    await cluster.start();
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const one = await runSide('1 gateway, 1 MariaDB', single.nodes, round);
      process.stdout.write(`round ${round + 1}  ${fmt(one)}\n`);
      const three = await runSide('3 gateways, 3 Galera nodes', cluster.nodes, round);
      process.stdout.write(`round ${round + 1}  ${fmt(three)}\n`);
      ratios.push(three.processedPerS / one.processedPerS);
      process.stdout.write(`round ${round + 1}  ratio cluster/single ${ratios[round]!.toFixed(2)} (goal ≥ 0.8)\n`);
    }
    process.stdout.write(
      `\n${total} callbacks × ${rounds} rounds, ${connections} connections: ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}\n`,
    );
  } finally {
    await cluster.stop();
    await single.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
