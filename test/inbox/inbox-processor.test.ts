import type { NormalizedEvent } from '../../connectors/common/normalized-event';
import { useTestDatabase } from '../helpers/describe-db';
import { testConfig } from '../helpers/test-app';
import { silentLogger } from '../../src/logger';
import { InboxProcessor } from '../../src/inbox/inbox-processor';
import { InboxRepository } from '../../src/storage/inbox/inbox.repository';
import { GroupCommitInboxWriter } from '../../src/inbox/inbox-writer';
import { inboxSignal } from '../../src/inbox/inbox-signal';
import { execute, select } from '../../src/storage/sql';
import { OA } from './callback-support';
import type { SiyuConfig } from '../../config';
import { createIdentityService, type IdentityService } from '../../src/identity/identity.service';

const at = '2025-03-01T08:00:00.000Z';
const subscribe = (openid: string): NormalizedEvent[] => [
  {
    kind: 'identity.observed',
    channel: 'official-account',
    account: OA.appId,
    occurredAt: at,
    identities: [{ type: 'oa_openid', scope: OA.appId, value: openid }],
    source: 'oa.subscribe',
  },
  {
    kind: 'subscription.changed',
    channel: 'official-account',
    account: OA.appId,
    occurredAt: at,
    openid,
    subscribed: true,
    qrScene: '42',
  },
];

/** A refund whose times cannot be parsed: applying it fails every time. */
const badRefund: NormalizedEvent[] = [
  {
    kind: 'payment.refunded',
    channel: 'wechat-pay',
    account: 'm1',
    occurredAt: 'not a date',
    outTradeNo: 'T',
    transactionId: 'x',
    outRefundNo: 'R',
    refundId: 'r',
    refundStatus: 'SUCCESS',
    amountTotal: 1,
    amountRefund: 1,
    successTime: 'garbage',
  },
];

/** What the processor is built from: a context plus the identity service that src/services.ts would give it. */
const withIdentity = <T extends { config: SiyuConfig; now(): number }>(ctx: T): T & { identity: IdentityService } => ({
  ...ctx,
  identity: createIdentityService(ctx),
});

describe('inbox processor', () => {
  const db = useTestDatabase();
  let clock = Date.parse('2025-03-01T09:00:00Z');
  const app = () =>
    withIdentity({
      ds: db.ds,
      config: testConfig(db.url, { accounts: [OA] }),
      logger: silentLogger(),
      now: () => clock,
    });
  const repo = () => new InboxRepository(db.ds);
  const insert = (key: string, events: NormalizedEvent[]) =>
    repo().insertMany(
      [
        {
          account: OA.appId,
          channel: 'official-account',
          kind: 'oa.event.subscribe',
          dedupeKey: key,
          raw: '<xml/>',
          events,
        },
      ],
      new Date(clock),
    );
  const status = async (key: string) =>
    (
      await select<{ status: string; attempts: unknown; error: string | null }>(
        db.ds,
        'SELECT status, attempts, error FROM inbox WHERE dedupe_key = ?',
        [key],
      )
    )[0]!;
  const count = async (sql: string, p: unknown[] = []) => Number((await select<{ n: unknown }>(db.ds, sql, p))[0]!.n);

  it('retries a failing row with backoff, then marks it failed with the error', async () => {
    const p = new InboxProcessor(app(), { maxAttempts: 3, backoffBaseMs: 1000 });
    await insert('bad-1', badRefund);
    expect(await p.drainOnce()).toBe(1);
    expect(await status('bad-1')).toMatchObject({ status: 'pending', error: expect.stringContaining('Invalid') });
    expect(await p.drainOnce()).toBe(0);
    clock += 60_000;
    expect(await p.drainOnce()).toBe(1);
    clock += 60_000;
    expect(await p.drainOnce()).toBe(1);
    const s = await status('bad-1');
    expect(s.status).toBe('failed');
    expect(Number(s.attempts)).toBe(3);
    clock += 3_600_000;
    expect(await p.drainOnce()).toBe(0);
  });

  it('applies a subscribe row: customer, subscription, timeline, done — and nothing twice when reprocessed', async () => {
    const p = new InboxProcessor(app());
    await insert('sub-1', subscribe('oSub1'));
    expect(await p.drain()).toBe(1);
    expect((await status('sub-1')).status).toBe('done');
    const [sub] = await select<Record<string, unknown>>(db.ds, 'SELECT * FROM oa_subscriptions WHERE openid = ?', [
      'oSub1',
    ]);
    expect(sub).toMatchObject({ app_id: OA.appId, qr_scene: '42' });
    expect(Number(sub!.subscribed)).toBe(1);
    expect(
      await count("SELECT COUNT(*) AS n FROM events WHERE type = 'oa.subscribe' AND customer_id = ?", [
        sub!.customer_id,
      ]),
    ).toBe(1);
    // A crash after commit but before anyone noticed, or an operator retry: the row runs again, writes nothing new.
    await execute(db.ds, "UPDATE inbox SET status = 'pending' WHERE dedupe_key = 'sub-1'");
    expect(await p.drain()).toBe(1);
    expect(
      await count('SELECT COUNT(*) AS n FROM customers c JOIN identities i ON i.customer_id = c.id WHERE i.value = ?', [
        'oSub1',
      ]),
    ).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM events WHERE dedupe_key LIKE 'sub-1#%'")).toBe(1);
  });

  it('commits the good rows of a batch that holds a failing one, and retries only the failing row', async () => {
    const p = new InboxProcessor(app(), { backoffBaseMs: 1000 });
    await insert('mix-1', subscribe('oMix1'));
    await insert('mix-2', badRefund);
    await insert('mix-3', subscribe('oMix3'));
    expect(await p.drainOnce()).toBe(3);
    expect((await status('mix-1')).status).toBe('done');
    expect((await status('mix-3')).status).toBe('done');
    expect(await status('mix-2')).toMatchObject({ status: 'pending', error: expect.stringContaining('Invalid') });
    expect(Number((await status('mix-2')).attempts)).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM events WHERE dedupe_key IN ('mix-1#1', 'mix-3#1')")).toBe(2);
    expect(await count("SELECT COUNT(*) AS n FROM identities WHERE value IN ('oMix1', 'oMix3')")).toBe(2);
  });

  it('takes back a row whose processor died mid-batch once its lease is over', async () => {
    await insert('lost-1', subscribe('oLost'));
    const dead = new InboxRepository(db.ds);
    const claimed = await dead.claim('dead-worker', 10, new Date(clock), new Date(clock + 30_000));
    expect(claimed.map((r) => r.dedupeKey)).toContain('lost-1');
    const p = new InboxProcessor(app(), { leaseMs: 30_000 });
    expect(await p.drainOnce()).toBe(0);
    clock += 31_000;
    expect(await p.drain()).toBeGreaterThanOrEqual(1);
    expect((await status('lost-1')).status).toBe('done');
  });

  it('wakes at once when the intake commits, and stops after finishing its batch', async () => {
    const p = new InboxProcessor(withIdentity({ ...app(), now: () => Date.now() }), { pollMs: 60_000 }).start();
    const signal = inboxSignal(db.ds);
    const writer = new GroupCommitInboxWriter((rows) => repo().insertMany(rows, new Date()), {
      maxBatch: 10,
      maxBatchBytes: 1 << 20,
      maxInFlight: 1,
      onCommit: () => signal.notify(),
    });
    const started = Date.now();
    await writer.write({
      account: OA.appId,
      channel: 'official-account',
      kind: 'oa.event.subscribe',
      dedupeKey: 'wake-1',
      raw: '<xml/>',
      events: subscribe('oWake'),
    });
    while ((await status('wake-1')).status !== 'done' && Date.now() - started < 25_000)
      await new Promise((r) => setTimeout(r, 10));
    expect((await status('wake-1')).status).toBe('done');
    // Well before the 60 s poll: the commit's signal woke it, however slow the machine.
    expect(Date.now() - started).toBeLessThan(25_000);
    await p.stop();
  });
});

describe('inbox processor under a callback burst', () => {
  const db = useTestDatabase();
  const app = () =>
    withIdentity({
      ds: db.ds,
      config: testConfig(db.url, { accounts: [OA] }),
      logger: silentLogger(),
      now: () => Date.now(),
    });
  const done = async (prefix: string) =>
    Number(
      (
        await select<{ n: unknown }>(
          db.ds,
          "SELECT COUNT(*) AS n FROM inbox WHERE status = 'done' AND dedupe_key LIKE ?",
          [`${prefix}%`],
        )
      )[0]!.n,
    );
  const insert = (prefix: string, n: number) =>
    new InboxRepository(db.ds).insertMany(
      Array.from({ length: n }, (_, i) => ({
        account: OA.appId,
        channel: 'official-account' as const,
        kind: 'oa.event.subscribe',
        dedupeKey: `${prefix}${i}`,
        raw: '<xml/>',
        events: subscribe(`o${prefix}${i}`),
      })),
      new Date(),
    );
  /** Polls `cond` until it holds; the cap only turns a hang into a readable failure. */
  const until = async (cond: () => boolean | Promise<boolean>): Promise<void> => {
    const cap = Date.now() + 25_000;
    while (!(await cond())) {
      if (Date.now() > cap) throw new Error('condition not reached');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('works in short turns while callbacks are in flight, so acks keep the CPU', async () => {
    await insert('burst-', 10);
    const signal = inboxSignal(db.ds);
    signal.enter();
    const p = new InboxProcessor(app(), { busyBatchSize: 2, busyRestFactor: 10_000, pollMs: 20 }).start();
    try {
      await until(() => p.stats.rests >= 1);
      expect(await done('burst-')).toBe(2);
    } finally {
      signal.leave();
      await p.stop();
    }
  });

  it('steps back further while the gateway is crowded with callbacks, and works promptly when it is not', async () => {
    await insert('crowd-', 10);
    const before = await done('');
    const signal = inboxSignal(db.ds);
    for (let i = 0; i < 4; i++) signal.enter();
    // A crowded rest of ten million batches would outlast the test by hours: finishing at all shows it ended with the crowd.
    const p = new InboxProcessor(app(), {
      busyBatchSize: 2,
      busyRestFactor: 1,
      crowdedRestFactor: 10_000_000,
      crowdedInFlight: 4,
      pollMs: 20,
    }).start();
    try {
      await until(() => p.stats.rests >= 1);
      // One batch of two (rows an earlier test left pending come first), then the crowded rest.
      expect((await done('')) - before).toBe(2);
      for (let i = 0; i < 3; i++) signal.leave();
      await until(async () => (await done('crowd-')) === 10);
    } finally {
      signal.leave();
      await p.stop();
    }
  });

  it('stops stepping back once the oldest waiting row is older than maxLagMs', async () => {
    await insert('lag-', 10);
    const signal = inboxSignal(db.ds);
    signal.enter();
    const p = new InboxProcessor(app(), { busyBatchSize: 2, busyRestFactor: 10_000, pollMs: 20, maxLagMs: 0 }).start();
    try {
      await until(async () => (await done('lag-')) === 10);
    } finally {
      signal.leave();
      await p.stop();
    }
  });
  it('claims short batches while callbacks arrive, and full ones once the backlog is older than maxLagMs', async () => {
    await insert('size-', 10);
    const signal = inboxSignal(db.ds);
    signal.enter();
    try {
      const prompt = new InboxProcessor(app(), { batchSize: 10, busyBatchSize: 2, maxLagMs: 3_600_000 });
      expect(await prompt.drainOnce()).toBe(2);
      const behind = new InboxProcessor(app(), { batchSize: 10, busyBatchSize: 2, maxLagMs: 0 });
      expect(await behind.drainOnce()).toBe(8);
    } finally {
      signal.leave();
    }
  });
});

describe('group commit writer', () => {
  it('batches writes that arrive together, resolves each after its commit, isolates a bad row', async () => {
    const batches: string[][] = [];
    const writer = new GroupCommitInboxWriter(
      async (rows) => {
        batches.push(rows.map((r) => r.dedupeKey));
        if (rows.some((r) => r.dedupeKey === 'bad')) throw new Error('boom');
      },
      { maxBatch: 100, maxBatchBytes: 1 << 20, maxInFlight: 1 },
    );
    const entry = (k: string) => ({
      account: 'a',
      channel: 'official-account' as const,
      kind: 'k',
      dedupeKey: k,
      raw: '',
      events: [],
    });
    const results = await Promise.allSettled(['a', 'b', 'bad', 'c'].map((k) => writer.write(entry(k))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(batches[0]).toEqual(['a', 'b', 'bad', 'c']);
    expect(batches.slice(1)).toEqual([['a'], ['b'], ['bad'], ['c']]);
  });
});
