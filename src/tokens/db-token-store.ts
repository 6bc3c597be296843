import type { DataSource } from 'typeorm';
import { retryConflicts } from '../storage/conflict-retry';
import { excluded, fromDbTime, select, upsert } from '../storage/sql';
import type { StoredToken, TokenRowKey, TokenStore } from './token-store.types';

/**
 * `access_tokens` as the TokenStore. The read is one lookup on the unique key (cheap enough to poll while
 * another instance refreshes); the write is an upsert on that key, so two writers of one row never meet a
 * duplicate key (DESIGN §3), and `version` counts refreshes.
 */
export class DbTokenStore implements TokenStore {
  constructor(private readonly ds: DataSource) {}

  async read(k: TokenRowKey): Promise<StoredToken | null> {
    const rows = await select<{ value: string; expires_at: unknown; refreshed_at: unknown }>(
      this.ds,
      'SELECT value, expires_at, refreshed_at FROM access_tokens WHERE account = ? AND kind = ? AND token_key = ?',
      [k.account, k.kind, k.key],
    );
    const row = rows[0];
    if (!row) return null;
    return { value: row.value, expiresAt: fromDbTime(row.expires_at)!.getTime(), refreshedAt: fromDbTime(row.refreshed_at)!.getTime() };
  }

  async write(k: TokenRowKey, t: StoredToken): Promise<void> {
    const row = { account: k.account, kind: k.kind, token_key: k.key, value: t.value, expires_at: new Date(t.expiresAt), refreshed_at: new Date(t.refreshedAt), version: 1 };
    await retryConflicts(this.ds, { operation: 'access_tokens.write' }, () =>
      upsert(this.ds, 'access_tokens', [row], {
        conflict: ['account', 'kind', 'token_key'],
        update: { value: excluded(this.ds, 'value'), expires_at: excluded(this.ds, 'expires_at'), refreshed_at: excluded(this.ds, 'refreshed_at'), version: 'version + 1' },
      }),
    );
  }
}
