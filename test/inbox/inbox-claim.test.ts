import type { DataSource } from 'typeorm';
import { retryConflicts } from '../../src/storage/conflict-retry';
import { InboxProcessor } from '../../src/inbox/inbox-processor';
import { InboxRepository } from '../../src/storage/inbox/inbox.repository';
import type { InboxEntry } from '../../src/inbox/inbox-writer';
import { silentLogger } from '../../src/logger';
import type { ClaimStrategy } from '../../src/storage/claim';
import { conflictRetryingTransaction } from '../../src/storage/conflict-retry';
import { openDatabase } from '../../src/storage/data-source';
import { execute, select } from '../../src/storage/sql';
import { testDialect, useTestDatabase } from '../helpers/describe-db';
import { testConfig } from '../helpers/test-app';
import { createIdentityService } from '../../src/identity/identity.service';

const entry = (key: string): InboxEntry => ({
  account: 'wxclaim',
  channel: 'official-account',
  kind: 'oa.event.unknown',
  dedupeKey: key,
  raw: '<xml/>',
  events: [
    {
      kind: 'unsupported',
      channel: 'official-account',
      account: 'wxclaim',
      occurredAt: '2030-01-01T00:00:00.000Z',
      what: key,
    },
  ],
});

/**
 * Inbox claims by several instances (DESIGN §3): each strategy hands every due row to exactly one claimer,
 * with no conflict reaching the caller. On MySQL each claimer has its own DataSource, as separate gateway
 * processes would; `portable` is forced here so the MySQL pass runs it too.
 */
describe('inbox claims across instances', () => {
  const db = useTestDatabase();
  const instances: DataSource[] = [];
  const now = new Date('2030-01-01T00:00:10.000Z');

  beforeAll(async () => {
    if (testDialect === 'mysql')
      for (let i = 0; i < 3; i++) instances.push(await openDatabase({ url: db.url, poolSize: 3 }));
    else instances.push(db.ds);
  });
  afterAll(async () => {
    for (const ds of instances) if (ds !== db.ds) await ds.destroy();
  });
  beforeEach(async () => {
    await db.ds.query('DELETE FROM inbox');
  });

  it('auto picks SKIP LOCKED where the server has it and the portable claim elsewhere', () => {
    const expected = testDialect === 'mysql' ? 'skipLocked' : 'portable';
    expect(new InboxRepository(db.ds).claimStrategy).toBe(expected);
    expect(new InboxRepository(db.ds, { claim: 'portable' }).claimStrategy).toBe('portable');
  });

  it.each<ClaimStrategy>(['skipLocked', 'portable'])(
    '%s: concurrent claimers take disjoint batches, oldest first, only due rows',
    async (strategy) => {
      const seed = new InboxRepository(db.ds);
      await seed.insertMany(
        Array.from({ length: 90 }, (_, i) => entry(`due-${String(i).padStart(3, '0')}`)),
        new Date('2030-01-01T00:00:00.000Z'),
      );
      await seed.insertMany([entry('later')], new Date('2030-01-01T00:01:00.000Z'));
      await execute(db.ds, "UPDATE inbox SET next_attempt_at = ? WHERE dedupe_key = 'due-000'", [
        new Date('2029-12-31T23:59:00.000Z'),
      ]);

      const first = await new InboxRepository(instances[0]!, { claim: strategy }).claim(
        'probe',
        1,
        now,
        new Date(now.getTime() + 60_000),
      );
      expect(first.map((r) => r.dedupeKey)).toEqual(['due-000']);

      const claimers = Array.from({ length: 6 }, (_, i) => ({
        id: `w${i}`,
        repo: new InboxRepository(instances[i % instances.length]!, { claim: strategy }),
      }));
      const taken = new Map<string, string[]>();
      await Promise.all(
        claimers.map(async ({ id, repo }) => {
          for (;;) {
            const rows = await repo.claim(id, 7, now, new Date(now.getTime() + 60_000));
            if (rows.length === 0) return;
            for (const r of rows) taken.set(r.dedupeKey, [...(taken.get(r.dedupeKey) ?? []), id]);
            expect(rows.every((r) => r.status === 'processing' && r.lockedBy === id && r.attempts === 1)).toBe(true);
          }
        }),
      );
      expect([...taken.values()].filter((by) => by.length > 1)).toEqual([]);
      expect(taken.size).toBe(89);
      expect(taken.has('later')).toBe(false);
      const states = await select<{ status: string; n: unknown }>(
        db.ds,
        'SELECT status, COUNT(*) AS n FROM inbox GROUP BY status ORDER BY status',
      );
      expect(states.map((s) => `${s.status}:${Number(s.n)}`)).toEqual(['pending:1', 'processing:90']);
    },
  );

  it.each<ClaimStrategy>(['skipLocked', 'portable'])(
    '%s: claims racing with callback inserts and completions never fail, and each row is done once',
    async (strategy) => {
      const inserters = instances.map((ds, i) => ({ repo: new InboxRepository(ds), prefix: `race-${strategy}-${i}-` }));
      const total = inserters.length * 60;
      let inserting = inserters.length;
      const claimedBy = new Map<string, number>();
      const insertAll = async ({ repo, prefix }: (typeof inserters)[number]) => {
        for (let b = 0; b < 12; b++)
          await retryConflicts(db.ds, { operation: 'inbox.insert', attempts: 4 }, () =>
            repo.insertMany(
              Array.from({ length: 5 }, (_, k) => entry(`${prefix}${b * 5 + k}`)),
              now,
            ),
          );
        inserting -= 1;
      };
      const claimLoop = async (ds: DataSource, id: string) => {
        const repo = new InboxRepository(ds, { claim: strategy });
        for (;;) {
          const rows = await repo.claim(id, 10, now, new Date(now.getTime() + 60_000));
          if (rows.length === 0) {
            if (inserting === 0 && (await repo.claim(id, 10, now, new Date(now.getTime() + 60_000))).length === 0)
              return;
            await new Promise((r) => setTimeout(r, 5));
            continue;
          }
          for (const r of rows) claimedBy.set(r.dedupeKey, (claimedBy.get(r.dedupeKey) ?? 0) + 1);
          // As the processor does: completions are retried on conflicts too (they may deadlock with a claim's scan).
          await conflictRetryingTransaction(ds, { operation: 'test.done' }, async (em) => {
            await repo.markDone(
              em,
              rows.map((r) => r.id),
              now,
            );
          });
        }
      };
      await Promise.all([...inserters.map(insertAll), ...instances.map((ds, i) => claimLoop(ds, `c${i}`))]);
      const done = await select<{ n: unknown }>(
        db.ds,
        "SELECT COUNT(*) AS n FROM inbox WHERE status = 'done' AND dedupe_key LIKE ?",
        [`race-${strategy}-%`],
      );
      expect(Number(done[0]!.n)).toBe(total);
      expect([...claimedBy.values()].filter((n) => n !== 1)).toEqual([]);
    },
  );

  it('the processor drains with the portable claim chosen by config (database.claim)', async () => {
    await new InboxRepository(db.ds).insertMany(
      Array.from({ length: 12 }, (_, i) => entry(`cfg-${i}`)),
      new Date('2030-01-01T00:00:00.000Z'),
    );
    const config = testConfig(db.url, { database: { url: db.url, migrate: false, claim: 'portable' } });
    expect(config.database.claim).toBe('portable');
    const p = new InboxProcessor(
      {
        ds: instances[0]!,
        config,
        logger: silentLogger(),
        now: () => now.getTime(),
        identity: createIdentityService({ config, now: () => now.getTime() }),
      },
      { batchSize: 5 },
    );
    expect(await p.drain()).toBe(12);
    const rows = await select<{ status: string; claim_token: string | null }>(
      db.ds,
      "SELECT status, claim_token FROM inbox WHERE dedupe_key LIKE 'cfg-%'",
    );
    expect(rows.every((r) => r.status === 'done' && r.claim_token !== null)).toBe(true);
    expect(new Set(rows.map((r) => r.claim_token)).size).toBe(3);
  });
});
