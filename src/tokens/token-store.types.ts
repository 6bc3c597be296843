import type { TokenKind } from '../../connectors/common/http/token-source';

export interface TokenRowKey {
  account: string;
  kind: TokenKind;
  key: string;
}

export interface StoredToken {
  value: string;
  /** ms since epoch. */
  expiresAt: number;
  /** ms since epoch of the fetch that produced this value. */
  refreshedAt: number;
}

/** Where tokens live: the `access_tokens` table, shared by every instance (DESIGN §6). */
export interface TokenStore {
  read(k: TokenRowKey): Promise<StoredToken | null>;
  /** An upsert: several instances may write the same row, and a duplicate key is never an error. */
  write(k: TokenRowKey, token: StoredToken): Promise<void>;
}

export type LockResult<T> = { acquired: true; value: T } | { acquired: false };

/**
 * Runs `fn` if nobody holds the lock named `name`, across all instances (src/storage tryLease); answers
 * `acquired: false` at once otherwise, never waiting.
 */
export type LockRunner = <T>(name: string, fn: () => Promise<T>) => Promise<LockResult<T>>;
