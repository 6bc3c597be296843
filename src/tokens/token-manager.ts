import type { TokenDefinition, TokenSource } from '../../connectors/common/http/token-source';
import type { Logger } from '../logger';
import { TokenUnavailableError } from './token-errors';
import type { LockRunner, StoredToken, TokenRowKey, TokenStore } from './token-store.types';

export interface TokenManagerOptions {
  store: TokenStore;
  lock: LockRunner;
  /** ms since epoch; tests pass the emulator clock. */
  now?: () => number;
  /** Refresh this long before expiry. */
  refreshBufferMs?: number;
  /** How long a value read from the database is reused in this process before the row is read again. */
  cacheTtlMs?: number;
  /**
   * A refresh that brought back a token still inside the buffer (WeCom gettoken hands back the current token
   * until it expires) is not repeated sooner than this, so the last minutes of a token do not turn every call
   * into a token fetch.
   */
  minRefetchIntervalMs?: number;
  logger?: Logger;
}

interface CacheEntry {
  token: StoredToken;
  cachedAt: number;
}

/**
 * One manager for every account's tokens and tickets (DESIGN §6; Nango refreshCredentialsIfNeeded, WxJava):
 * the `access_tokens` row is the source of truth, refreshed before expiry by one caller at a time across all
 * instances (a database lock, the row re-read after taking it), and on a rejected token refreshed by force
 * only if the rejected value is still the stored one. What to call per kind is data from the connectors.
 */
export class TokenManager {
  private readonly now: () => number;
  private readonly bufferMs: number;
  private readonly cacheTtlMs: number;
  private readonly minRefetchMs: number;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly sources = new Map<string, TokenSource>();

  constructor(private readonly opts: TokenManagerOptions) {
    this.now = opts.now ?? Date.now;
    this.bufferMs = opts.refreshBufferMs ?? 5 * 60_000;
    this.cacheTtlMs = opts.cacheTtlMs ?? 10_000;
    this.minRefetchMs = opts.minRefetchIntervalMs ?? 30_000;
  }

  /** The TokenSource connectors' clients use for `def` (one per account/kind/key). */
  source(def: TokenDefinition): TokenSource {
    const id = cacheKey(def);
    let src = this.sources.get(id);
    if (!src) {
      src = { get: () => this.get(def), invalidate: (failed) => this.invalidate(def, failed) };
      this.sources.set(id, src);
    }
    return src;
  }

  async get(def: TokenDefinition): Promise<string> {
    const id = cacheKey(def);
    const hit = this.cache.get(id);
    if (hit && this.fresh(hit.token) && this.now() - hit.cachedAt < this.cacheTtlMs) return hit.token.value;
    const running = this.inflight.get(id);
    if (running) return running;
    const p = this.load(def).finally(() => this.inflight.delete(id));
    this.inflight.set(id, p);
    return p;
  }

  /** `failedToken` was rejected by WeChat: refresh by force, unless the stored token is already another one. */
  async invalidate(def: TokenDefinition, failedToken: string): Promise<void> {
    const id = cacheKey(def);
    this.cache.delete(id);
    // Not acquiring the lock is fine: whoever holds it is refreshing, and the caller's retry re-reads the row.
    await this.opts.lock(lockName(def), async () => {
      const row = await this.opts.store.read(rowKey(def));
      if (!row || row.value !== failedToken) return;
      this.opts.logger?.info({ account: def.account, kind: def.kind, key: def.key }, 'token rejected by WeChat; forcing a refresh');
      await this.fetchAndStore(def, true);
    });
  }

  private async load(def: TokenDefinition): Promise<string> {
    const row = await this.opts.store.read(rowKey(def));
    if (row && this.fresh(row)) return this.remember(def, row);
    const locked = await this.opts.lock(lockName(def), async () => {
      // Another instance may have refreshed while this one waited for the lock.
      const again = await this.opts.store.read(rowKey(def));
      if (again && (this.fresh(again) || this.recentlyRefreshed(again))) return this.remember(def, again);
      return (await this.fetchAndStore(def, false)).value;
    });
    if (locked.acquired) return locked.value;
    // The lock stayed busy (a slow refresh elsewhere): a token that has not expired yet still works.
    const latest = await this.opts.store.read(rowKey(def));
    if (latest && latest.expiresAt > this.now()) return this.remember(def, latest);
    throw new TokenUnavailableError(def.account, def.kind, def.key, 'refresh lock busy and no unexpired token stored');
  }

  private async fetchAndStore(def: TokenDefinition, force: boolean): Promise<StoredToken> {
    const fetched = await def.fetch({ force });
    const now = this.now();
    const token: StoredToken = { value: fetched.value, expiresAt: now + fetched.expiresInSeconds * 1000, refreshedAt: now };
    await this.opts.store.write(rowKey(def), token);
    this.remember(def, token);
    this.opts.logger?.debug({ account: def.account, kind: def.kind, key: def.key, force, expiresInSeconds: fetched.expiresInSeconds }, 'token refreshed');
    return token;
  }

  private remember(def: TokenDefinition, token: StoredToken): string {
    this.cache.set(cacheKey(def), { token, cachedAt: this.now() });
    return token.value;
  }

  private fresh(t: StoredToken): boolean {
    return t.expiresAt - this.bufferMs > this.now();
  }

  /** Inside the buffer but still valid, and fetched moments ago: fetching again would return the same value. */
  private recentlyRefreshed(t: StoredToken): boolean {
    const now = this.now();
    return t.expiresAt - 30_000 > now && now - t.refreshedAt < this.minRefetchMs;
  }
}

function rowKey(def: TokenDefinition): TokenRowKey {
  return { account: def.account, kind: def.kind, key: def.key };
}

function cacheKey(def: TokenDefinition): string {
  return `${def.account}\u0000${def.kind}\u0000${def.key}`;
}

/** One lock per (account, kind, key): refreshing an OA token never waits for a WeCom ticket. */
export function lockName(def: Pick<TokenDefinition, 'account' | 'kind' | 'key'>): string {
  return `token:${def.kind}:${def.account}:${def.key}`;
}
