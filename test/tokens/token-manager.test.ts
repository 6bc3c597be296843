import type { TokenDefinition } from '../../connectors/common/http/token-source';
import { TokenManager, lockName } from '../../src/tokens/token-manager';
import type { LockRunner, StoredToken, TokenRowKey, TokenStore } from '../../src/tokens/token-store.types';

/** Machinery tests of the manager with an in-memory store; the database-backed behaviour is in token-manager.db.test.ts. */
class MemoryStore implements TokenStore {
  rows = new Map<string, StoredToken>();
  reads = 0;
  async read(k: TokenRowKey) {
    this.reads += 1;
    return this.rows.get(`${k.account}/${k.kind}/${k.key}`) ?? null;
  }
  async write(k: TokenRowKey, t: StoredToken) {
    this.rows.set(`${k.account}/${k.kind}/${k.key}`, { ...t });
  }
}

function mutex(): LockRunner {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(name: string, fn: () => Promise<T>) => {
    const prev = tails.get(name) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    tails.set(
      name,
      run.catch(() => undefined),
    );
    return { acquired: true as const, value: await run };
  };
}
const busyLock: LockRunner = async () => ({ acquired: false });

/** Try-once leases shared by several managers, as storage's tryLease behaves across instances. */
function leases(): LockRunner {
  const held = new Set<string>();
  return async <T>(name: string, fn: () => Promise<T>) => {
    if (held.has(name)) return { acquired: false as const };
    held.add(name);
    try {
      return { acquired: true as const, value: await fn() };
    } finally {
      held.delete(name);
    }
  };
}

function definition(lifetimeSeconds = 7200) {
  const fetches: Array<{ force: boolean }> = [];
  let n = 0;
  const def: TokenDefinition = {
    account: 'wxapp',
    kind: 'oa_access_token',
    key: 'stable',
    fetch: async (o) => {
      fetches.push(o);
      await new Promise((r) => setTimeout(r, 5));
      n += 1;
      return { value: `T${n}`, expiresInSeconds: lifetimeSeconds };
    },
  };
  return { def, fetches };
}

let clock = 1_700_000_000_000;
const now = () => clock;
beforeEach(() => {
  clock = 1_700_000_000_000;
});

describe('TokenManager', () => {
  it('propagates a failed fetch and stores nothing', async () => {
    const store = new MemoryStore();
    const m = new TokenManager({ store, lock: mutex(), now });
    const def: TokenDefinition = {
      account: 'a',
      kind: 'mp_access_token',
      key: 'k',
      fetch: async () => Promise.reject(new Error('boom')),
    };
    await expect(m.get(def)).rejects.toThrow('boom');
    expect(store.rows.size).toBe(0);
  });

  it('fetches once for many concurrent callers and reuses the stored token', async () => {
    const store = new MemoryStore();
    const { def, fetches } = definition();
    const m = new TokenManager({ store, lock: mutex(), now });
    const values = await Promise.all(Array.from({ length: 20 }, () => m.get(def)));
    expect(new Set(values)).toEqual(new Set(['T1']));
    expect(fetches).toHaveLength(1);
    expect(store.rows.get('wxapp/oa_access_token/stable')).toMatchObject({ value: 'T1', expiresAt: clock + 7200_000 });
  });

  it('shares one stored token between two managers (instances)', async () => {
    const store = new MemoryStore();
    const lock = mutex();
    const { def, fetches } = definition();
    const a = new TokenManager({ store, lock, now });
    const b = new TokenManager({ store, lock, now });
    const [x, y] = await Promise.all([a.get(def), b.get(def)]);
    expect(x).toBe('T1');
    expect(y).toBe('T1');
    expect(fetches).toHaveLength(1);
  });

  it('refreshes within the buffer before expiry, not earlier', async () => {
    const store = new MemoryStore();
    const { def, fetches } = definition();
    const m = new TokenManager({ store, lock: mutex(), now, refreshBufferMs: 300_000 });
    await m.get(def);
    clock += (7200 - 301) * 1000;
    expect(await m.get(def)).toBe('T1');
    clock += 2_000;
    expect(await m.get(def)).toBe('T2');
    expect(fetches).toHaveLength(2);
  });

  it('re-reads the row after the in-process cache TTL (another instance may have replaced it)', async () => {
    const store = new MemoryStore();
    const { def } = definition();
    const m = new TokenManager({ store, lock: mutex(), now, cacheTtlMs: 10_000 });
    await m.get(def);
    store.rows.set('wxapp/oa_access_token/stable', { value: 'OTHER', expiresAt: clock + 7200_000, refreshedAt: clock });
    expect(await m.get(def)).toBe('T1');
    clock += 10_001;
    expect(await m.get(def)).toBe('OTHER');
  });

  it('invalidate forces a refresh only when the failed token is the stored one', async () => {
    const store = new MemoryStore();
    const { def, fetches } = definition();
    const m = new TokenManager({ store, lock: mutex(), now });
    await m.get(def);
    await m.invalidate(def, 'T1');
    expect(fetches).toEqual([{ force: false }, { force: true }]);
    expect(await m.get(def)).toBe('T2');
    await m.invalidate(def, 'T1');
    expect(fetches).toHaveLength(2);
    expect(await m.get(def)).toBe('T2');
  });

  it('concurrent invalidations of one token cost one forced refresh', async () => {
    const store = new MemoryStore();
    const { def, fetches } = definition();
    const m = new TokenManager({ store, lock: mutex(), now });
    await m.get(def);
    await Promise.all(Array.from({ length: 5 }, () => m.invalidate(def, 'T1')));
    expect(fetches.filter((f) => f.force)).toHaveLength(1);
  });

  it('an instance that does not get the lease waits for the new token instead of retrying the rejected one', async () => {
    const store = new MemoryStore();
    const lock = leases();
    const { def, fetches } = definition();
    const a = new TokenManager({ store, lock, now, pollMs: 5 });
    const b = new TokenManager({ store, lock, now, pollMs: 5 });
    await a.get(def);
    expect(await b.get(def)).toBe('T1');
    await Promise.all([a.invalidate(def, 'T1'), b.invalidate(def, 'T1'), b.invalidate(def, 'T1')]);
    expect(fetches).toEqual([{ force: false }, { force: true }]);
    expect(await a.get(def)).toBe('T2');
    expect(await b.get(def)).toBe('T2');
  });

  it('keeps a cached token that is not the rejected one', async () => {
    const store = new MemoryStore();
    const { def, fetches } = definition();
    const m = new TokenManager({ store, lock: leases(), now });
    await m.get(def);
    await m.invalidate(def, 'OLDER');
    expect(await m.get(def)).toBe('T1');
    expect(fetches).toHaveLength(1);
  });

  it('a rejected token nobody replaces within the wait ends in TOKEN_UNAVAILABLE, not a retry on the same value', async () => {
    const store = new MemoryStore();
    const { def, fetches } = definition();
    const m = new TokenManager({ store, lock: leases(), now, pollMs: 5, waitMs: 50 });
    await m.get(def);
    const stuck = new TokenManager({ store, lock: busyLock, now, pollMs: 5, waitMs: 50 });
    await expect(stuck.invalidate(def, 'T1')).rejects.toMatchObject({ code: 'TOKEN_UNAVAILABLE' });
    expect(fetches).toHaveLength(1);
  });

  it('does not refetch in a loop when the platform hands back a token still inside the buffer', async () => {
    const store = new MemoryStore();
    const fetches: number[] = [];
    const def: TokenDefinition = {
      account: 'ww',
      kind: 'wecom_access_token',
      key: 'contact',
      fetch: async () => (fetches.push(clock), { value: 'SAME', expiresInSeconds: 200 }),
    };
    const m = new TokenManager({ store, lock: mutex(), now, cacheTtlMs: 0, minRefetchIntervalMs: 30_000 });
    for (let i = 0; i < 5; i += 1) expect(await m.get(def)).toBe('SAME');
    expect(fetches).toHaveLength(1);
    clock += 31_000;
    await m.get(def);
    expect(fetches).toHaveLength(2);
  });

  it('names one lock per account, kind and key', () => {
    expect(lockName({ account: 'wx1234567890', kind: 'oa_access_token', key: 'stable' })).toBe(
      'token:oa_access_token:wx1234567890:stable',
    );
  });

  it('when the lease stays busy, uses an unexpired stored token and otherwise fails with TOKEN_UNAVAILABLE after its wait', async () => {
    const store = new MemoryStore();
    const { def, fetches } = definition();
    const m = new TokenManager({
      store,
      lock: busyLock,
      now,
      refreshBufferMs: 300_000,
      cacheTtlMs: 0,
      pollMs: 5,
      waitMs: 50,
    });
    await expect(m.get(def)).rejects.toMatchObject({ code: 'TOKEN_UNAVAILABLE' });
    store.rows.set('wxapp/oa_access_token/stable', {
      value: 'LATE',
      expiresAt: clock + 100_000,
      refreshedAt: clock - 7100_000,
    });
    expect(await m.get(def)).toBe('LATE');
    expect(fetches).toHaveLength(0);
  });
});
