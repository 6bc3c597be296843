import type { DataSource } from 'typeorm';
import { retryConflicts } from '../storage/conflict-retry';

/**
 * Concurrent group commits on MySQL can deadlock each other: `INSERT … ON DUPLICATE KEY UPDATE` takes next-key
 * locks on the dedupe_key index while checking for duplicates, and two multi-row inserts whose keys interleave
 * can wait on each other. InnoDB then rolls one statement back whole (nothing of it is stored), so running it
 * again is safe; without this its callbacks would be answered 503 and only recovered by WeChat's retry.
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-locks-set.html
 */
export function isDeadlock(err: unknown): boolean {
  const e = err as { driverError?: { code?: unknown; errno?: unknown }; code?: unknown; errno?: unknown } | null;
  const inner = e?.driverError ?? e;
  return inner?.code === 'ER_LOCK_DEADLOCK' || inner?.errno === 1213;
}

/** Runs an inbox INSERT again when it lost a conflict, through storage's one retry helper (at most `attempts` runs). */
export function retryOnDeadlock<T>(fn: () => Promise<T>, attempts = 4, ds?: DataSource): Promise<T> {
  return retryConflicts(ds, { operation: 'inbox.insert', attempts }, fn);
}
