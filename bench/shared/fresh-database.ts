import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import mysql2 from 'mysql2/promise';
import { parseDatabaseUrl, type DatabaseTarget } from '../../src/storage/database-url';

/**
 * `--database` for the sync/identity/lookup benches: a full mysql:// URL is used as given; the default (or a
 * URL ending in `/<fresh>`) creates a new `siyu_bench_<random>` database on that server and drops it after.
 */
export async function benchDatabase(
  arg: string | undefined,
): Promise<{ url: string; fresh: boolean; drop(): Promise<void> }> {
  const given = arg ?? 'mysql://root:@127.0.0.1:3306/<fresh>';
  if (!given.endsWith('/<fresh>')) {
    await printServer(given);
    return { url: given, fresh: false, drop: async () => undefined };
  }
  const fresh = await freshDatabase(given.slice(0, -'<fresh>'.length) + 'x');
  await printServer(fresh.url);
  return { ...fresh, fresh: true };
}

/** An admin connection to the server of a mysql:// target (no database selected). */
function connectTo(target: Extract<DatabaseTarget, { kind: 'mysql' }>): Promise<mysql2.Connection> {
  return mysql2.createConnection({
    host: target.host,
    port: target.port,
    user: target.username,
    password: target.password,
  });
}

/**
 * Prints the server's version, InnoDB buffer pool and temporary-table limits: past a few million rows the figures
 * depend on whether the working set fits in the pool (MariaDB's default is 128 MB) and whether a subquery's
 * temporary table stays in memory, so every bench carries them.
 */
async function printServer(url: string): Promise<void> {
  const target = parseDatabaseUrl(url);
  if (target.kind !== 'mysql') return;
  const c = await connectTo(target);
  try {
    const [rows] = await c.query(
      'SELECT VERSION() AS v, @@innodb_buffer_pool_size AS pool, @@tmp_table_size AS tmp, @@max_heap_table_size AS heap',
    );
    const [r] = rows as Record<'v' | 'pool' | 'tmp' | 'heap', string | number>[];
    const mb = (v: string | number | undefined) => `${Math.round(Number(v) / 2 ** 20)} MB`;
    console.log(
      `  server    ${String(r!.v)}, InnoDB buffer pool ${mb(r!.pool)}, tmp_table_size ${mb(r!.tmp)}, max_heap_table_size ${mb(r!.heap)}`,
    );
  } finally {
    await c.end();
  }
}

/**
 * A new, empty database for one bench run, dropped by `drop()`: a temporary SQLite file for `sqlite` (or any
 * non-mysql value), else `siyu_bench_<random>` created on the server of the given mysql:// URL (its own database
 * name is ignored).
 */
export async function freshDatabase(kindOrUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!kindOrUrl.startsWith('mysql:')) {
    const dir = mkdtempSync(path.join(tmpdir(), 'siyu-bench-'));
    return {
      url: `sqlite:${path.join(dir, 'siyu.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const u = new URL(kindOrUrl);
  u.pathname = '/x';
  const target = parseDatabaseUrl(u.toString());
  if (target.kind !== 'mysql') throw new Error('expected a mysql:// URL');
  const name = `siyu_bench_${randomBytes(4).toString('hex')}`;
  const c = await connectTo(target);
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = await connectTo(target);
      await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await d.end();
    },
  };
}

/** `--name value` from argv, or the default. */
export function arg(name: string, def: string): string;
export function arg(name: string): string | undefined;
export function arg(name: string, def?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}
