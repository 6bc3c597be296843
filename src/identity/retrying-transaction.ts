import type { DataSource, EntityManager } from 'typeorm';
import { isMysql } from '../storage/dialect';
import { isDuplicateKeyError } from '../storage/sql';

/**
 * Races between resolvers end in a unique-key violation (two inserted the same identity) or, on MySQL, a
 * deadlock / lock-wait timeout; the loser's transaction is rolled back and simply run again, when it sees
 * the winner's rows (DESIGN §4: two workers resolving one person produce one customer).
 */
export function isRetryableDbError(err: unknown): boolean {
  if (isDuplicateKeyError(err)) return true;
  const e = err as { driverError?: { code?: unknown; errno?: unknown }; code?: unknown; errno?: unknown } | null;
  const inner = e?.driverError ?? e;
  return (
    inner?.code === 'ER_LOCK_DEADLOCK' ||
    inner?.errno === 1213 ||
    inner?.code === 'ER_LOCK_WAIT_TIMEOUT' ||
    inner?.errno === 1205 ||
    inner?.code === 'SQLITE_BUSY'
  );
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` in a transaction, again on a retryable error (at most `attempts` times, with a short jittered
 * pause). MySQL uses READ COMMITTED: locking reads see the latest committed rows and no gap locks are taken,
 * so concurrent inserts of different identities do not deadlock on index gaps.
 */
export async function retryingTransaction<T>(ds: DataSource, fn: (em: EntityManager) => Promise<T>, attempts = 6): Promise<T> {
  const mysql = isMysql(ds);
  for (let attempt = 1; ; attempt++) {
    try {
      return mysql ? await ds.transaction('READ COMMITTED', fn) : await ds.transaction(fn);
    } catch (err) {
      if (attempt >= attempts || !isRetryableDbError(err)) throw err;
      await sleep(Math.random() * 10 * 2 ** attempt);
    }
  }
}
