import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/storage/data-source';
import { InboxEntity } from '../../src/storage/entities';
import { StorageError } from '../../src/storage/errors';
import { testDialect, useTestDatabase } from '../helpers/describe-db';
import { clearTables } from '../helpers/test-db';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const row = (dedupeKey: string) => ({
  account: 'wxapp1',
  channel: 'official-account',
  kind: 'message',
  dedupeKey,
  raw: '<xml/>',
});

/** DESIGN §6: an inbox row committed outside a transaction must never be swallowed by another caller's rollback. */
describe('concurrent transactions', () => {
  const db = useTestDatabase();
  beforeEach(async () => clearTables(db.ds));

  it('keeps a write made while another transaction is open and then rolls back', async () => {
    const inbox = db.ds.getRepository(InboxEntity);
    let wrote!: () => void;
    const insideWritten = new Promise<void>((resolve) => (wrote = resolve));
    const failing = db.ds.transaction(async (em) => {
      await em.getRepository(InboxEntity).insert(row('inside'));
      wrote();
      await tick(50);
      throw new Error('processor failed');
    });
    // The outside write starts while the transaction is open and holds its own uncommitted row.
    await insideWritten;
    await inbox.insert(row('outside'));
    await expect(failing).rejects.toThrow('processor failed');
    expect((await inbox.find()).map((r) => r.dedupeKey)).toEqual(['outside']);
  });

  it('commits interleaved transactions independently', async () => {
    const work = (key: string, fail: boolean) =>
      db.ds.transaction(async (em) => {
        await em.getRepository(InboxEntity).insert(row(`${key}-1`));
        await tick(5);
        await em.getRepository(InboxEntity).insert(row(`${key}-2`));
        if (fail) throw new Error('no');
      });
    const results = await Promise.allSettled([work('a', false), work('b', true), work('c', false), work('d', true)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    const keys = (await db.ds.getRepository(InboxEntity).find()).map((r) => r.dedupeKey).sort();
    expect(keys).toEqual(['a-1', 'a-2', 'c-1', 'c-2']);
  });

  it('saves entities concurrently with a transaction in flight', async () => {
    const inbox = db.ds.getRepository(InboxEntity);
    const tx = db.ds.transaction(async (em) => {
      await em.getRepository(InboxEntity).save(row('tx'));
      await tick(20);
    });
    const saves = Promise.all(['s1', 's2', 's3'].map((k) => inbox.save(row(k))));
    await Promise.all([tx, saves]);
    expect(await inbox.count()).toBe(4);
  });
});

(testDialect === 'sqlite' ? describe : describe.skip)('SQLite connection gate', () => {
  it('fails with DB_BUSY instead of hanging when a query bypasses the open transaction', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'siyu-gate-'));
    const ds = await openDatabase({ url: `sqlite:${path.join(dir, 'g.db')}`, busyTimeoutMs: 200 }, { migrate: true });
    try {
      const err = await ds
        .transaction(async () => {
          await ds.getRepository(InboxEntity).count();
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).code).toBe('DB_BUSY');
      expect(await ds.getRepository(InboxEntity).count()).toBe(0);
    } finally {
      await ds.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
