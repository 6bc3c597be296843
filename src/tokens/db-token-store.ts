import type { DataSource, Repository } from 'typeorm';
import { AccessTokenEntity, type AccessTokenRow } from '../storage/entities/access-token.entity';
import type { StoredToken, TokenRowKey, TokenStore } from './token-store.types';

/**
 * `access_tokens` as the TokenStore. Writes happen under the token's lock, so update-then-insert cannot race
 * with another writer of the same row; `version` counts refreshes.
 */
export class DbTokenStore implements TokenStore {
  private readonly repo: Repository<AccessTokenRow>;

  constructor(ds: DataSource) {
    this.repo = ds.getRepository(AccessTokenEntity);
  }

  async read(k: TokenRowKey): Promise<StoredToken | null> {
    const row = await this.repo.findOne({ where: { account: k.account, kind: k.kind, tokenKey: k.key } });
    if (!row) return null;
    return { value: row.value, expiresAt: row.expiresAt.getTime(), refreshedAt: row.refreshedAt.getTime() };
  }

  async write(k: TokenRowKey, t: StoredToken): Promise<void> {
    const values = { value: t.value, expiresAt: new Date(t.expiresAt), refreshedAt: new Date(t.refreshedAt) };
    const res = await this.repo
      .createQueryBuilder()
      .update()
      .set({ ...values, version: () => 'version + 1' })
      .where('account = :account AND kind = :kind AND token_key = :key', { account: k.account, kind: k.kind, key: k.key })
      .execute();
    if (!res.affected) await this.repo.insert({ account: k.account, kind: k.kind, tokenKey: k.key, ...values, version: 1 });
  }
}
