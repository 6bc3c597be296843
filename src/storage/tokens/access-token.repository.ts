import type { DataSource } from 'typeorm';
import type { AccessTokenRow } from '../entities/access-token.entity';
import { retryConflicts } from '../conflict-retry';
import { type Db, excluded, fromDbTime, select, upsert } from '../sql';

export type AccessTokenKey = Pick<AccessTokenRow, 'account' | 'kind' | 'tokenKey'>;
export type AccessTokenValue = Pick<AccessTokenRow, 'value' | 'expiresAt' | 'refreshedAt'>;

/** One lookup on the unique key: cheap enough to poll while another instance refreshes. */
export async function readAccessToken(db: Db, k: AccessTokenKey): Promise<AccessTokenValue | null> {
  const [row] = await select<{ value: string; expires_at: unknown; refreshed_at: unknown }>(
    db,
    'SELECT value, expires_at, refreshed_at FROM access_tokens WHERE account = ? AND kind = ? AND token_key = ?',
    [k.account, k.kind, k.tokenKey],
  );
  if (!row) return null;
  return { value: row.value, expiresAt: fromDbTime(row.expires_at)!, refreshedAt: fromDbTime(row.refreshed_at)! };
}

/**
 * An upsert on the unique key, so two writers of one row never meet a duplicate key (DESIGN §3); `version`
 * counts refreshes. Commit conflicts are retried here, so it runs on the DataSource, never inside a transaction.
 */
export async function writeAccessToken(db: DataSource, k: AccessTokenKey, t: AccessTokenValue): Promise<void> {
  const row = {
    account: k.account,
    kind: k.kind,
    token_key: k.tokenKey,
    value: t.value,
    expires_at: t.expiresAt,
    refreshed_at: t.refreshedAt,
    version: 1,
  };
  await retryConflicts(db, { operation: 'access_tokens.write' }, () =>
    upsert(db, 'access_tokens', [row], {
      conflict: ['account', 'kind', 'token_key'],
      update: {
        value: excluded(db, 'value'),
        expires_at: excluded(db, 'expires_at'),
        refreshed_at: excluded(db, 'refreshed_at'),
        version: 'version + 1',
      },
    }),
  );
}
