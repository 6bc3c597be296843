import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { isMysql } from './dialect';
import { Mutex } from './mutex';

export interface LockOptions {
  /** How long to wait for the lock; 0 (default) = take it only if free now. */
  waitMs?: number;
}

const localLocks = new WeakMap<DataSource, Map<string, Mutex>>();

/**
 * Runs `fn` while holding the named lock, once across every instance sharing the database (DESIGN §3, §6):
 * cron jobs, token refresh, outbox delivery. Returns undefined, without running `fn`, when the lock was not
 * acquired within `waitMs`.
 *
 * MySQL: GET_LOCK on one dedicated pooled connection held for the whole of `fn` (the lock belongs to that
 * session; if the connection dies the server releases it). Lock names are server-wide, so the database name is
 * part of the key. SQLite: an in-process mutex (one instance per SQLite file by design). Not re-entrant.
 */
export async function withLock<T>(ds: DataSource, name: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T | undefined> {
  const waitMs = Math.max(0, opts.waitMs ?? 0);
  return isMysql(ds) ? withMysqlLock(ds, name, fn, waitMs) : withLocalLock(ds, name, fn, waitMs);
}

async function withLocalLock<T>(ds: DataSource, name: string, fn: () => Promise<T>, waitMs: number): Promise<T | undefined> {
  let byName = localLocks.get(ds);
  if (!byName) localLocks.set(ds, (byName = new Map()));
  let mutex = byName.get(name);
  if (!mutex) byName.set(name, (mutex = new Mutex()));
  if (!(await mutex.acquire(waitMs))) return undefined;
  try {
    return await fn();
  } finally {
    mutex.release();
  }
}

/** MySQL limits user lock names to 64 characters. */
export function mysqlLockKey(database: string, name: string): string {
  const key = `siyu:${database}:${name}`;
  return key.length <= 64 ? key : `siyu:${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/**
 * GET_LOCK's timeout is in seconds; MariaDB takes fractions, MySQL rounds, so sub-second waits are rounded up
 * to whole seconds there. https://dev.mysql.com/doc/refman/8.0/en/locking-functions.html
 */
async function withMysqlLock<T>(ds: DataSource, name: string, fn: () => Promise<T>, waitMs: number): Promise<T | undefined> {
  const database = String(ds.driver.database ?? ds.options.database ?? '');
  const key = mysqlLockKey(database, name);
  const mariadb = /mariadb/i.test(ds.driver.version ?? '');
  const seconds = mariadb ? waitMs / 1000 : Math.ceil(waitMs / 1000);
  const runner = ds.createQueryRunner('master');
  try {
    const rows = (await runner.query('SELECT GET_LOCK(?, ?) AS acquired', [key, seconds])) as { acquired: unknown }[];
    if (Number(rows[0]?.acquired) !== 1) return undefined;
    try {
      return await fn();
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?) AS released', [key]).catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}
