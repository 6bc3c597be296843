import type { DataSource } from 'typeorm';
import type { Dialect, ServerFlavor } from './dialect';

/** The SQL family a DataSource's driver speaks; `dialectFor` (index.ts) gives the server's own dialect. */
export function dialectOf(ds: DataSource): Dialect {
  const type = ds.options.type;
  if (type === 'better-sqlite3') return 'sqlite';
  if (type === 'mysql' || type === 'mariadb') return 'mysql';
  throw new Error(`unsupported database type ${type}`);
}

const serverVersions = new WeakMap<DataSource, string>();

/**
 * Reads and remembers the server's full VERSION() string (TypeORM keeps only the leading number, which loses
 * "MariaDB" and "TiDB"). openDatabase calls it; the sync helpers below fall back to the number alone.
 */
export async function detectServer(ds: DataSource): Promise<ServerFlavor> {
  if (dialectOf(ds) === 'mysql' && !serverVersions.has(ds)) {
    const rows = (await ds.query('SELECT VERSION() AS v')) as { v: string }[];
    serverVersions.set(ds, String(rows[0]?.v ?? ''));
  }
  return serverFlavor(ds);
}

/** Full version string when detected (e.g. `10.11.19-MariaDB-0+deb12u1`, `8.0.11-TiDB-v7.5.0`). */
export function serverVersion(ds: DataSource): string {
  return serverVersions.get(ds) ?? ds.driver.version ?? '';
}

export function serverFlavor(ds: DataSource): ServerFlavor {
  if (dialectOf(ds) === 'sqlite') return 'sqlite';
  const v = serverVersion(ds);
  if (/tidb/i.test(v)) return 'tidb';
  // MySQL has no major version 10+; MariaDB's numbers start at 10.
  if (/mariadb/i.test(v) || Number(v.split('.')[0]) >= 10) return 'mariadb';
  return 'mysql';
}
