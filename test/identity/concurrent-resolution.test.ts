import type { DataSource } from 'typeorm';
import type { IdentityRef } from '../../connectors/common/identity-types';
import type { NormalizedEvent } from '../../connectors/common/normalized-event';
import { useTestDatabase, testDialect } from '../helpers/describe-db';
import { testConfig } from '../helpers/test-app';
import { openDatabase } from '../../src/storage/data-source';
import { IdentityService } from '../../src/identity/identity.service';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { InboxProcessor } from '../../src/inbox/inbox-processor';
import { InboxRepository } from '../../src/storage/inbox/inbox.repository';
import { PhoneCrypto } from '../../src/security/phone-crypto';
import { IdentityHasher } from '../../src/security/identity-hash';
import { select } from '../../src/storage/sql';
import { silentLogger } from '../../src/logger';

/**
 * DESIGN §4: "two workers resolving the same person at once produce one customer". On MySQL the two workers
 * are two DataSources (two gateway instances on one database); SQLite is single-instance by design, so there
 * the concurrency is within one DataSource.
 */
const KEY = Buffer.alloc(32, 9);
const svc = new IdentityService({
  phoneCrypto: new PhoneCrypto(KEY),
  hasher: new IdentityHasher(KEY),
  mergeByPhone: true,
  now: () => Date.now(),
});

describe(`concurrent resolution (${testDialect})`, () => {
  const db = useTestDatabase({ poolSize: 8 });
  let second: DataSource;
  beforeAll(async () => {
    second = testDialect === 'mysql' ? await openDatabase({ url: db.url, poolSize: 8 }) : db.ds;
  });
  afterAll(async () => {
    if (second !== db.ds) await second.destroy();
  });
  const count = async (sql: string, p: unknown[] = []) => Number((await select<{ n: unknown }>(db.ds, sql, p))[0]!.n);

  it('makes one customer per person when observations of that person race on two instances', async () => {
    const persons = 25;
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < persons; i++) {
      const o: IdentityRef = { type: 'oa_openid', scope: 'wxoa', value: `race-o${i}` };
      const u: IdentityRef = { type: 'unionid', scope: 'default', value: `race-u${i}` };
      const m: IdentityRef = { type: 'mp_openid', scope: 'wxmp', value: `race-m${i}` };
      const e: IdentityRef = { type: 'wecom_external_userid', scope: 'ww', value: `race-e${i}` };
      const observations = [[o], [o, u], [m, u], [e, m], [o], [e]];
      observations.forEach((identities, k) => {
        const ds = k % 2 === 0 ? db.ds : second;
        jobs.push(retryingTransaction(ds, (em) => svc.resolve(em, { identities, source: 'race' }), 12));
      });
    }
    await Promise.all(jobs);
    expect(await count("SELECT COUNT(*) AS n FROM identities WHERE value LIKE 'race-%'")).toBe(persons * 4);
    const owners = await select<{ value: string; customer_id: string }>(
      db.ds,
      "SELECT value, customer_id FROM identities WHERE value LIKE 'race-%'",
    );
    for (let i = 0; i < persons; i++) {
      const mine = new Set(
        owners.filter((r) => r.value.slice('race-o'.length) === String(i)).map((r) => r.customer_id),
      );
      expect(mine.size).toBe(1);
    }
    const active = await count(
      "SELECT COUNT(DISTINCT c.id) AS n FROM customers c JOIN identities i ON i.customer_id = c.id WHERE c.status = 'active' AND i.value LIKE 'race-%'",
    );
    expect(active).toBe(persons);
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM customers c WHERE c.status = 'merged' AND NOT EXISTS (SELECT 1 FROM merge_log m WHERE m.merged_id = c.id)",
      ),
    ).toBe(0);
  });

  it('two inbox processors on two instances claim disjoint rows and apply each once', async () => {
    const config = testConfig(db.url);
    const repo = new InboxRepository(db.ds);
    const rows = Array.from({ length: 120 }, (_, i) => {
      const openid = `proc-o${i % 30}`;
      const events: NormalizedEvent[] = [
        {
          kind: 'message.received',
          channel: 'official-account',
          account: 'wxoa',
          occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
          openid,
          msgType: 'text',
          msgId: String(i),
          content: 'hi',
          fields: {},
        },
      ];
      return {
        account: 'wxoa',
        channel: 'official-account' as const,
        kind: 'oa.message.text',
        dedupeKey: `proc-${i}`,
        raw: '<xml/>',
        events,
      };
    });
    await repo.insertMany(rows, new Date());
    const mk = (ds: DataSource) =>
      new InboxProcessor(
        { ds, config, logger: silentLogger(), now: () => Date.now(), identity: svc },
        { batchSize: 7 },
      );
    const [a, b] = [mk(db.ds), mk(second)];
    const [na, nb] = await Promise.all([a.drain(), b.drain()]);
    expect(na + nb).toBe(120);
    expect(await count("SELECT COUNT(*) AS n FROM inbox WHERE dedupe_key LIKE 'proc-%' AND status = 'done'")).toBe(120);
    expect(await count("SELECT COUNT(*) AS n FROM events WHERE dedupe_key LIKE 'proc-%'")).toBe(120);
    expect(await count("SELECT COUNT(DISTINCT customer_id) AS n FROM identities WHERE value LIKE 'proc-o%'")).toBe(30);
    if (testDialect === 'mysql') expect(Math.min(na, nb)).toBeGreaterThan(0);
  });
});
