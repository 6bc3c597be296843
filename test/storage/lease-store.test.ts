import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/storage/data-source';
import { LeaseStore } from '../../src/storage/lease-store';
import { tryLease, waitForLease } from '../../src/storage/locks';
import { testDialect, useTestDatabase } from '../helpers/describe-db';

/** A promise with its resolver, to keep a lease held until the test lets go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('LeaseStore (the leases table)', () => {
  const db = useTestDatabase();
  const others: DataSource[] = [];
  const t0 = new Date('2030-01-01T00:00:00.000Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  beforeAll(async () => {
    // On MySQL each DataSource stands for another instance; SQLite is one instance (DESIGN §3).
    if (testDialect === 'mysql')
      for (let i = 0; i < 3; i++) others.push(await openDatabase({ url: db.url, poolSize: 2 }));
  });
  afterAll(async () => {
    for (const ds of others) await ds.destroy();
  });
  beforeEach(async () => {
    await db.ds.query('DELETE FROM leases');
  });

  it('refuses a held lease, and hands it out again after release with a higher fence', async () => {
    const store = new LeaseStore(db.ds);
    const first = await store.acquire('job:a', 10_000, t0);
    expect(first).toMatchObject({ name: 'job:a', fence: 1 });
    expect(await store.acquire('job:a', 10_000, at(1_000))).toBeNull();
    await store.release(first!, at(2_000));
    expect(await store.peek('job:a')).toMatchObject({ holder: null, fence: 1 });
    const second = await store.acquire('job:a', 10_000, at(3_000));
    expect(second?.fence).toBe(2);
    expect(second?.holder).not.toBe(first!.holder);
  });

  it('a lease that ran out goes to the next caller; the old holder can neither renew nor release it', async () => {
    const store = new LeaseStore(db.ds);
    const stale = (await store.acquire('token:x', 5_000, t0))!;
    expect(await store.renew(stale, 5_000, at(4_000))).toBe(true);
    expect(await store.acquire('token:x', 5_000, at(8_000))).toBeNull();
    const next = (await store.acquire('token:x', 5_000, at(9_001)))!;
    expect(next.fence).toBe(2);
    expect(await store.renew(stale, 5_000, at(9_500))).toBe(false);
    await store.release(stale, at(9_600));
    expect(await store.peek('token:x')).toMatchObject({ holder: next.holder, fence: 2 });
  });

  it('concurrent first acquisitions of a new name from several instances: exactly one wins', async () => {
    const instances = others.length > 0 ? others : [db.ds];
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        new LeaseStore(instances[i % instances.length]!).acquire('race', 10_000, t0),
      ),
    );
    expect(attempts.filter((l) => l !== null)).toHaveLength(1);
    expect((await new LeaseStore(db.ds).peek('race'))?.fence).toBe(1);
  });

  it('tryLease runs the work once, answers not-acquired at once to everyone else, and frees the name after', async () => {
    const instances = others.length > 0 ? others : [db.ds];
    const held = gate();
    const inside = gate();
    const first = tryLease(
      instances[0]!,
      'once',
      async () => {
        inside.open();
        await held.promise;
        return 'ran';
      },
      { ttlMs: 10_000 },
    );
    await inside.promise;
    // Answered while the holder still holds it: nobody waits for the lease.
    const rest = await Promise.all(instances.map((ds) => tryLease(ds, 'once', async () => 'twice', { ttlMs: 10_000 })));
    expect(rest).toEqual(instances.map(() => ({ acquired: false })));
    held.open();
    expect(await first).toEqual({ acquired: true, value: 'ran' });
    expect(await tryLease(instances[instances.length - 1]!, 'once', async () => 'again', { ttlMs: 10_000 })).toEqual({
      acquired: true,
      value: 'again',
    });
    if (testDialect === 'mysql')
      expect(await new LeaseStore(db.ds).peek('once')).toMatchObject({ holder: null, fence: 2 });
  });

  it('tryLease frees the name when the work throws', async () => {
    await expect(
      tryLease(db.ds, 'throws', async () => Promise.reject(new Error('boom')), { ttlMs: 10_000 }),
    ).rejects.toThrow('boom');
    expect(await tryLease(db.ds, 'throws', async () => 'ok', { ttlMs: 10_000 })).toEqual({
      acquired: true,
      value: 'ok',
    });
  });

  it('waitForLease runs the work once the holder lets go, and answers not-acquired when its wait runs out', async () => {
    const instances = others.length > 0 ? others : [db.ds];
    const held = gate();
    const inside = gate();
    const first = tryLease(
      instances[0]!,
      'wait',
      async () => {
        inside.open();
        await held.promise;
        return 'first';
      },
      { ttlMs: 10_000 },
    );
    await inside.promise;
    expect(
      await waitForLease(instances[instances.length - 1]!, 'wait', async () => 'never', { ttlMs: 10_000, waitMs: 50 }),
    ).toEqual({ acquired: false });
    const waiting = waitForLease(instances[instances.length - 1]!, 'wait', async () => 'second', {
      ttlMs: 10_000,
      waitMs: 60_000,
      pollMs: 20,
    });
    held.open();
    expect(await first).toEqual({ acquired: true, value: 'first' });
    expect(await waiting).toEqual({ acquired: true, value: 'second' });
  });
});
