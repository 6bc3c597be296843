import type { DataSource, EntityManager } from '../../storage';
import { retryingTransaction } from '../../storage/conflict-retry';

/**
 * Attempts for one sync write batch. Batches of several syncs and of the inbox processor lock overlapping
 * identities and customers (an OA sync inserting the unionids a WeCom sync is looking up), so MySQL picks
 * deadlock victims now and then; a victim batch is simply run again. Ten attempts with the exponential,
 * jittered pauses of retryingTransaction wait out a busy minute instead of failing the whole sync.
 */
const BATCH_ATTEMPTS = 10;

export function batchTransaction<T>(ds: DataSource, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return retryingTransaction(ds, fn, BATCH_ATTEMPTS);
}
