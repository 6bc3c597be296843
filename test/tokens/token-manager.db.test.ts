import type { DataSource } from 'typeorm';
import type { TokenDefinition } from '../../connectors/common/http/token-source';
import { openDatabase } from '../../src/storage/data-source';
import { leaseLock } from '../../src/tokens/lease-lock';
import { DbTokenStore } from '../../src/tokens/db-token-store';
import { TokenManager } from '../../src/tokens/token-manager';
import { testDialect, useTestDatabase } from '../helpers/describe-db';

/**
 * The manager over the real `access_tokens` table and storage locks. The fetch is a counter here; the same
 * paths against the emulator are in clients.emulator.test.ts.
 */
function countingDefinition(delayMs = 50) {
  let n = 0;
  const fetches: boolean[] = [];
  const def: TokenDefinition = {
    account: 'wxdb',
    kind: 'oa_access_token',
    key: 'stable',
    fetch: async ({ force }) => {
      fetches.push(force);
      await new Promise((r) => setTimeout(r, delayMs));
      n += 1;
      return { value: `DB${n}`, expiresInSeconds: 7200 };
    },
  };
  return { def, fetches };
}

describe('TokenManager on the database', () => {
  const db = useTestDatabase();
  let second: DataSource | undefined;

  beforeAll(async () => {
    // On MySQL a second DataSource is a second instance; SQLite is single-instance by design (DESIGN §3).
    second = testDialect === 'mysql' ? await openDatabase({ url: db.url, poolSize: 3 }) : db.ds;
  });
  afterAll(async () => {
    if (second && second !== db.ds && second.isInitialized) await second.destroy();
  });
  beforeEach(async () => {
    await db.ds.query('DELETE FROM access_tokens');
  });

  const manager = (ds: DataSource) =>
    new TokenManager({ store: new DbTokenStore(ds), lock: leaseLock(ds), cacheTtlMs: 0, pollMs: 10 });

  it('reads nothing for an account without a row', async () => {
    await expect(
      new DbTokenStore(db.ds).read({ account: 'none', kind: 'oa_access_token', key: 'stable' }),
    ).resolves.toBeNull();
  });

  it('stores the token with its expiry and counts refreshes in version', async () => {
    const store = new DbTokenStore(db.ds);
    const k = { account: 'wxv', kind: 'oa_jsapi_ticket' as const, key: 'jsapi' };
    await store.write(k, {
      value: 'one',
      expiresAt: Date.UTC(2030, 0, 1, 0, 0, 0, 123),
      refreshedAt: Date.UTC(2029, 11, 31),
    });
    await store.write(k, {
      value: 'two',
      expiresAt: Date.UTC(2030, 0, 1, 2, 0, 0, 456),
      refreshedAt: Date.UTC(2030, 0, 1),
    });
    await expect(store.read(k)).resolves.toEqual({
      value: 'two',
      expiresAt: Date.UTC(2030, 0, 1, 2, 0, 0, 456),
      refreshedAt: Date.UTC(2030, 0, 1),
    });
    const rows = (await db.ds.query("SELECT version FROM access_tokens WHERE account = 'wxv'")) as Array<{
      version: number | string;
    }>;
    expect(rows.map((r) => Number(r.version))).toEqual([2]);
  });

  it('concurrent first writes of one row from two instances are upserts: no duplicate key, one row', async () => {
    const k = { account: 'wxrace', kind: 'oa_access_token' as const, key: 'stable' };
    const t = (value: string) => ({ value, expiresAt: Date.UTC(2030, 0, 1), refreshedAt: Date.UTC(2029, 11, 31) });
    await Promise.all([
      new DbTokenStore(db.ds).write(k, t('A')),
      new DbTokenStore(second!).write(k, t('B')),
      new DbTokenStore(db.ds).write(k, t('C')),
    ]);
    const rows = (await db.ds.query("SELECT value, version FROM access_tokens WHERE account = 'wxrace'")) as Array<{
      value: string;
      version: number | string;
    }>;
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.version)).toBe(3);
  });

  it('two instances racing for an empty row fetch once and agree on the token', async () => {
    const { def, fetches } = countingDefinition();
    const a = manager(db.ds);
    const b = manager(second!);
    const values = await Promise.all([a.get(def), b.get(def), a.get(def), b.get(def)]);
    expect(new Set(values)).toEqual(new Set(['DB1']));
    expect(fetches).toEqual([false]);
  });

  it('a new instance reuses the stored token without fetching', async () => {
    const { def, fetches } = countingDefinition(0);
    await manager(db.ds).get(def);
    expect(await manager(second!).get(def)).toBe('DB1');
    expect(fetches).toHaveLength(1);
  });

  it('invalidations of the same failed token from two instances force one refresh; a stale one forces none', async () => {
    const { def, fetches } = countingDefinition();
    const a = manager(db.ds);
    const b = manager(second!);
    await a.get(def);
    await Promise.all([a.invalidate(def, 'DB1'), b.invalidate(def, 'DB1')]);
    expect(fetches).toEqual([false, true]);
    await b.invalidate(def, 'DB1');
    expect(fetches).toHaveLength(2);
    expect(await a.get(def)).toBe('DB2');
  });
});
