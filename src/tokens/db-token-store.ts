import type { DataSource } from '../storage';
import { readAccessToken, writeAccessToken } from '../storage/tokens/access-token.repository';
import type { StoredToken, TokenRowKey, TokenStore } from './token-store.types';

/** `access_tokens` as the TokenStore, shared by every instance (DESIGN §6). */
export class DbTokenStore implements TokenStore {
  constructor(private readonly ds: DataSource) {}

  async read(k: TokenRowKey): Promise<StoredToken | null> {
    const t = await readAccessToken(this.ds, { account: k.account, kind: k.kind, tokenKey: k.key });
    return t && { value: t.value, expiresAt: t.expiresAt.getTime(), refreshedAt: t.refreshedAt.getTime() };
  }

  async write(k: TokenRowKey, t: StoredToken): Promise<void> {
    await writeAccessToken(
      this.ds,
      { account: k.account, kind: k.kind, tokenKey: k.key },
      { value: t.value, expiresAt: new Date(t.expiresAt), refreshedAt: new Date(t.refreshedAt) },
    );
  }
}
