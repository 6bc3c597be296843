import type { DataSource } from 'typeorm';
import { withLock } from '../storage/locks';
import type { LockResult, LockRunner } from './token-store.types';

/** The token manager's lock: GET_LOCK on MySQL, an in-process mutex on SQLite (src/storage/locks.ts). */
export function dbLock(ds: DataSource, waitMs: number): LockRunner {
  return async <T>(name: string, fn: () => Promise<T>): Promise<LockResult<T>> => {
    let ran = false;
    const value = await withLock(
      ds,
      name,
      () => {
        ran = true;
        return fn();
      },
      { waitMs },
    );
    // withLock answers undefined both for "not acquired" and for an fn that returned undefined.
    return ran ? { acquired: true, value: value as T } : { acquired: false };
  };
}
