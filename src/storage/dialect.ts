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

export function isMysql(ds: DataSource): boolean {
  return dialectOf(ds) === 'mysql';
}
