import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { dialectFor } from './dialect';
import { LeaseStore } from './lease-store';
import { Mutex } from './mutex';

export interface LockOptions {
  /** How long to wait for the lock; 0 (default) = take it only if free now. */
  waitMs?: number;
}

/** SQLite locks per database file (two DataSources on one file in one process also exclude). */
const fileLocks = new Map<string, Map<string, Mutex>>();
const memoryLocks = new WeakMap<DataSource, Map<string, Mutex>>();

function localLockTable(ds: DataSource): Map<string, Mutex> {
  const file = String(ds.options.database);
  if (file === ':memory:') {
    let table = memoryLocks.get(ds);
    if (!table) memoryLocks.set(ds, (table = new Map()));
    return table;
  }
  let table = fileLocks.get(file);
  if (!table) fileLocks.set(file, (table = new Map()));
  return table;
}

/**
 * Runs `fn` while holding the named lock, once across every instance sharing ONE database server; only schema
 * migrations use it (migrate.ts says why). Everything else that runs once across instances takes a lease
 * (tryLease / waitForLease): GET_LOCK is node-local on a Galera cluster (DESIGN §3). Returns undefined, without
 * running `fn`, when the lock was not acquired within `waitMs`.
 *
 * MySQL: GET_LOCK on one dedicated pooled connection held for the whole of `fn` (the lock belongs to that
 * session; if the connection dies the server releases it). Lock names are server-wide, so the database name is
 * part of the key. SQLite: an in-process mutex (one instance per SQLite file by design). Not re-entrant.
 */
export async function withLock<T>(
  ds: DataSource,
  name: string,
  fn: () => Promise<T>,
  opts: LockOptions = {},
): Promise<T | undefined> {
  const waitMs = Math.max(0, opts.waitMs ?? 0);
  return dialectFor(ds).family === 'mysql' ? withMysqlLock(ds, name, fn, waitMs) : withLocalLock(ds, name, fn, waitMs);
}

export type LeaseResult<T> = { acquired: true; value: T } | { acquired: false };

export interface LeaseOptions {
  /** How long the lease lasts without renewal; renewed every third of it while `fn` runs. */
  ttlMs: number;
}

/**
 * Runs `fn` if nobody holds the named lease right now, and never waits for it (DESIGN §3: coordination through
 * rows). MySQL: a row in `leases` (lease-store.ts), committed before `fn` starts, renewed while it runs and
 * released after, so no pooled connection is parked in a lock wait and a holder that dies frees the name once
 * its lease runs out. SQLite: an in-process mutex (one instance per SQLite file by design). Callers that did
 * not get the lease decide themselves how to wait (the token manager polls the token row).
 */
export async function tryLease<T>(
  ds: DataSource,
  name: string,
  fn: () => Promise<T>,
  opts: LeaseOptions,
): Promise<LeaseResult<T>> {
  if (dialectFor(ds).family !== 'mysql') return localLock(ds, name, fn, 0);
  const store = new LeaseStore(ds);
  const lease = await store.acquire(name, opts.ttlMs, new Date());
  if (!lease) return { acquired: false };
  // A renewal that fails (connection trouble) only shortens the lease; the work itself goes on.
  const renew = setInterval(
    () => void store.renew(lease, opts.ttlMs, new Date()).catch(() => undefined),
    Math.max(1, Math.floor(opts.ttlMs / 3)),
  );
  renew.unref();
  try {
    return { acquired: true, value: await fn() };
  } finally {
    clearInterval(renew);
    await store.release(lease, new Date()).catch(() => undefined);
  }
}

export interface WaitLeaseOptions extends LeaseOptions {
  /** How long to keep asking for the lease before answering not-acquired. */
  waitMs: number;
  /** Pause between attempts (default 100 ms, with jitter). */
  pollMs?: number;
}

/**
 * tryLease, asked again until the lease is had or `waitMs` has passed. Between attempts no connection is held
 * (the holder may need one to finish), so waiters never starve the pool the way a parked GET_LOCK did.
 */
export async function waitForLease<T>(
  ds: DataSource,
  name: string,
  fn: () => Promise<T>,
  opts: WaitLeaseOptions,
): Promise<LeaseResult<T>> {
  const until = Date.now() + Math.max(0, opts.waitMs);
  const poll = Math.max(1, opts.pollMs ?? 100);
  for (;;) {
    const result = await tryLease(ds, name, fn, opts);
    if (result.acquired || Date.now() >= until) return result;
    await new Promise((r) => setTimeout(r, Math.min(poll * (0.5 + Math.random()), Math.max(1, until - Date.now()))));
  }
}

async function withLocalLock<T>(
  ds: DataSource,
  name: string,
  fn: () => Promise<T>,
  waitMs: number,
): Promise<T | undefined> {
  const r = await localLock(ds, name, fn, waitMs);
  return r.acquired ? r.value : undefined;
}

async function localLock<T>(
  ds: DataSource,
  name: string,
  fn: () => Promise<T>,
  waitMs: number,
): Promise<LeaseResult<T>> {
  const table = localLockTable(ds);
  let mutex = table.get(name);
  if (!mutex) table.set(name, (mutex = new Mutex()));
  if (!(await mutex.acquire(waitMs))) return { acquired: false };
  try {
    return { acquired: true, value: await fn() };
  } finally {
    mutex.release();
    if (!mutex.locked) table.delete(name);
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
async function withMysqlLock<T>(
  ds: DataSource,
  name: string,
  fn: () => Promise<T>,
  waitMs: number,
): Promise<T | undefined> {
  const database = String(ds.driver.database ?? ds.options.database ?? '');
  const key = mysqlLockKey(database, name);
  const seconds = dialectFor(ds).lockWaitSeconds(waitMs);
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
