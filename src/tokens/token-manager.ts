import type { TokenDefinition, TokenSource } from '../../connectors/common/http/token-source';
import type { Logger } from '../logger';
import { TokenUnavailableError } from './token-errors';
import type { LockRunner, StoredToken, TokenRowKey, TokenStore } from './token-store.types';

export interface TokenManagerOptions {
  store: TokenStore;
  /** Try-once refresh lock (lease-lock.ts): the caller that gets it refreshes, the others poll the row. */
  lock: LockRunner;
  /** ms since epoch for token expiry; tests pass the emulator clock. */
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
  /** While another instance refreshes, the row is re-read this often (one indexed read per instance). */
  pollMs?: number;
  /** How long a caller waits for someone else's refresh before TOKEN_UNAVAILABLE (wall time). */
  waitMs?: number;
  logger?: Logger;
}

interface CacheEntry {
  token: StoredToken;
  cachedAt: number;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * One manager for every account's tokens and tickets (DESIGN §6; Nango refreshCredentialsIfNeeded, WxJava):
 * the `access_tokens` row is the source of truth. Whoever needs a refresh tries the refresh lease: the one
 * that gets it re-reads the row, fetches, upserts the row and releases; the others never wait on a lock (no
 * pooled connection parked) but poll the row until it holds a usable token. A rejected token is refreshed by
 * force only while it is still the stored one (WxJava: expire the cached token only if it equals the one that
 * failed), so a burst of rejections across instances costs one fetch and every caller retries on the new value.
 * Waits use wall time; token expiry uses `now` (the emulator clock in tests).
 */
export class TokenManager {
  private readonly now: () => number;
  private readonly bufferMs: number;
  private readonly cacheTtlMs: number;
  private readonly minRefetchMs: number;
  private readonly pollMs: number;
  private readonly waitMs: number;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly recovering = new Map<string, Promise<void>>();
  private readonly sources = new Map<string, TokenSource>();

  constructor(private readonly opts: TokenManagerOptions) {
    this.now = opts.now ?? Date.now;
    this.bufferMs = opts.refreshBufferMs ?? 5 * 60_000;
    this.cacheTtlMs = opts.cacheTtlMs ?? 10_000;
    this.minRefetchMs = opts.minRefetchIntervalMs ?? 30_000;
    this.pollMs = opts.pollMs ?? 100;
    this.waitMs = opts.waitMs ?? 20_000;
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

  /**
   * `failedToken` was rejected by WeChat. Resolves once the stored token is another one — refreshed here by
   * force if this instance gets the lease and the row still holds the failed value, else by whoever has it —
   * so the caller's retry uses the new token. Concurrent rejections of one value in this process share one wait.
   */
  async invalidate(def: TokenDefinition, failedToken: string): Promise<void> {
    const id = cacheKey(def);
    if (this.cache.get(id)?.token.value === failedToken) this.cache.delete(id);
    const key = `${id}\u0000${failedToken}`;
    let running = this.recovering.get(key);
    if (!running) {
      running = this.recover(def, failedToken).finally(() => this.recovering.delete(key));
      this.recovering.set(key, running);
    }
    await running;
  }

  private async recover(def: TokenDefinition, failed: string): Promise<void> {
    const replaced = (t: StoredToken | null): t is StoredToken =>
      t !== null && t.value !== failed && t.expiresAt > this.now();
    const deadline = performance.now() + this.waitMs;
    for (;;) {
      const row = await this.opts.store.read(rowKey(def));
      if (replaced(row)) {
        this.remember(def, row);
        return;
      }
      const locked = await this.opts.lock(lockName(def), async () => {
        // Re-read under the lease: the previous holder may have stored a new token since the read above.
        const again = await this.opts.store.read(rowKey(def));
        if (replaced(again)) return void this.remember(def, again);
        this.opts.logger?.info(
          { account: def.account, kind: def.kind, key: def.key },
          'token rejected by WeChat; forcing a refresh',
        );
        await this.fetchAndStore(def, true);
      });
      if (locked.acquired) return;
      await this.pauseUntil(deadline, def, 'a refresh of the rejected token did not land in time');
    }
  }

  private async load(def: TokenDefinition): Promise<string> {
    const deadline = performance.now() + this.waitMs;
    for (;;) {
      const row = await this.opts.store.read(rowKey(def));
      if (row && (this.fresh(row) || this.recentlyRefreshed(row))) return this.remember(def, row);
      const locked = await this.opts.lock(lockName(def), async () => {
        // Another instance may have refreshed between the read above and taking the lease.
        const again = await this.opts.store.read(rowKey(def));
        if (again && (this.fresh(again) || this.recentlyRefreshed(again))) return this.remember(def, again);
        return (await this.fetchAndStore(def, false)).value;
      });
      if (locked.acquired) return locked.value;
      // Someone else is refreshing: a token that has not expired yet still works meanwhile.
      if (row && row.expiresAt > this.now()) return this.remember(def, row);
      await this.pauseUntil(deadline, def, 'refresh lease busy and no unexpired token stored');
    }
  }

  /** A short jittered pause before the next poll, or TOKEN_UNAVAILABLE once the wait is over. */
  private async pauseUntil(deadline: number, def: TokenDefinition, reason: string): Promise<void> {
    const left = deadline - performance.now();
    if (left <= 0) throw new TokenUnavailableError(def.account, def.kind, def.key, reason);
    await pause(Math.min(left, this.pollMs * (0.5 + Math.random())));
  }

  private async fetchAndStore(def: TokenDefinition, force: boolean): Promise<StoredToken> {
    const fetched = await def.fetch({ force });
    const now = this.now();
    const token: StoredToken = {
      value: fetched.value,
      expiresAt: now + fetched.expiresInSeconds * 1000,
      refreshedAt: now,
    };
    await this.opts.store.write(rowKey(def), token);
    this.remember(def, token);
    this.opts.logger?.debug(
      { account: def.account, kind: def.kind, key: def.key, force, expiresInSeconds: fetched.expiresInSeconds },
      'token refreshed',
    );
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

/** One lease per (account, kind, key): refreshing an OA token never waits for a WeCom ticket. */
export function lockName(def: Pick<TokenDefinition, 'account' | 'kind' | 'key'>): string {
  return `token:${def.kind}:${def.account}:${def.key}`;
}
