import type { DataSource } from 'typeorm';

/** The two database families Siyu runs on (DESIGN §3). TiDB counts as MySQL. */
export type Dialect = 'mysql' | 'sqlite';

/**
 * "Now" in UTC with milliseconds, as a SQL expression. SQLite's text form matches what TypeORM writes for
 * `datetime` columns (`YYYY-MM-DD HH:MM:SS.SSS`), so comparisons stay lexicographic; MySQL sessions run at
 * time_zone +00:00 (see mysql-driver.ts), and UTC_TIMESTAMP does not depend on that anyway.
 */
export const SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f','now')";
export const MYSQL_NOW = 'UTC_TIMESTAMP(3)';
/** Column default for "created now" on MySQL (a DEFAULT clause cannot call UTC_TIMESTAMP). */
export const MYSQL_NOW_DEFAULT = 'CURRENT_TIMESTAMP(3)';

export function dialectOf(ds: DataSource): Dialect {
  const type = ds.options.type;
  if (type === 'better-sqlite3') return 'sqlite';
  if (type === 'mysql' || type === 'mariadb') return 'mysql';
  throw new Error(`unsupported database type ${type}`);
}

/** ` FOR UPDATE` on MySQL (row locks inside a transaction); SQLite's single writer needs none. */
export function forUpdateOf(ds: DataSource): string {
  return dialectOf(ds) === 'mysql' ? ' FOR UPDATE' : '';
}

/**
 * The tail of an INSERT that skips a row whose `key` is already taken, and fails on anything else (unlike INSERT
 * IGNORE, which also swallows truncation and other errors on MySQL). MySQL's no-op update reacts to any unique key.
 */
export function ignoreDuplicateOf(ds: DataSource, key: readonly string[]): string {
  return dialectOf(ds) === 'mysql' ? ' ON DUPLICATE KEY UPDATE id = id' : ` ON CONFLICT (${key.join(', ')}) DO NOTHING`;
}

/**
 * The calendar date (`YYYY-MM-DD`) of a datetime column shifted by `offsetMinutes`: a UTC time's local day in a
 * zone at that offset.
 */
export function localDateSql(ds: DataSource, column: string, offsetMinutes: number): string {
  const offset = Math.trunc(offsetMinutes);
  return dialectOf(ds) === 'mysql'
    ? `DATE_FORMAT(${column} + INTERVAL ${offset} MINUTE, '%Y-%m-%d')`
    : `strftime('%Y-%m-%d', ${column}, '${offset >= 0 ? '+' : ''}${offset} minutes')`;
}

export function isMysql(ds: DataSource): boolean {
  return dialectOf(ds) === 'mysql';
}

export type ServerFlavor = 'sqlite' | 'mysql' | 'mariadb' | 'tidb';

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
