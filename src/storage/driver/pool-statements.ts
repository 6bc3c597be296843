import type { ExecuteValues, Pool } from 'mysql2';
import type { DataSource } from 'typeorm';
import { dialectFor } from '../dialect';
import { type Db, select, toDbParam } from '../sql';

/**
 * A read for the per-request hot paths (API key check, profile lookup, DESIGN §9): on MySQL it goes straight to
 * mysql2's pool. TypeORM's query runner costs, per statement, a `require()` resolved again inside mysql2's
 * promise wrapper and a captured stack trace, a cost paid on every request of a hot path.
 * It runs as a server-side prepared statement, which each pooled connection prepares once and then only
 * executes: MariaDB skips parsing the profile's seven-part UNION on every request. Rows come back as `select`
 * returns them (same pool and type options; binary protocol: dates as Date, bigints as strings). Inside a
 * transaction (an EntityManager) and on SQLite, whose connection gate must see every statement, it is `select`.
 */
export function readRows<T = Record<string, unknown>>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  const pool = 'dataSource' in db ? undefined : mysqlPool(db);
  if (!pool) return select<T>(db, sql, params);
  return executeOnPool<T[]>(pool, sql, params.map(toDbParam));
}

/** One prepared statement on the pool, with values already in their database form; mysql2's errors as they are. */
export function executeOnPool<T>(pool: Pool, sql: string, values: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    pool.execute(sql, values as ExecuteValues[], (err, result) => (err ? reject(err) : resolve(result as T)));
  });
}

/**
 * mysql2's pool under a MySQL DataSource — the one TypeORM's driver created, with the same options and UTC
 * sessions (driver/mysql-driver.ts); undefined on SQLite and once the DataSource is destroyed.
 */
export function mysqlPool(ds: DataSource): Pool | undefined {
  if (dialectFor(ds).family !== 'mysql') return undefined;
  return (ds.driver as unknown as { pool?: Pool }).pool;
}
