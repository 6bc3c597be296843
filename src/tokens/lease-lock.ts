import type { DataSource } from '../storage';
import { tryLease } from '../storage/locks';
import type { LockRunner } from './token-store.types';

/**
 * The token manager's refresh lock: a row lease on MySQL, an in-process mutex on SQLite (storage/locks.ts
 * tryLease). It never waits, so a caller that did not get it holds no pooled connection; it polls the token
 * row instead. `ttlMs` bounds how long a dead refresher blocks the others.
 */
export function leaseLock(ds: DataSource, ttlMs = 15_000): LockRunner {
  return (name, fn) => tryLease(ds, name, fn, { ttlMs });
}
