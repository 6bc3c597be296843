import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/storage/data-source';
import { mysqlLockKey, withLock } from '../../src/storage/locks';
import { useTestDatabase } from '../helpers/describe-db';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A promise with its resolver, to hold a lock until the test lets go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/** Takes `name` and holds it until `release()`; resolves `entered` once the lock is really held. */
function holdLock(
  ds: DataSource,
  name: string,
): { entered: Promise<void>; release: () => void; done: Promise<unknown> } {
  const inside = gate();
  const held = gate();
  const done = withLock(ds, name, async () => {
    inside.open();
    await held.promise;
    return 'first';
  });
  return { entered: inside.promise, release: held.open, done };
}

describe('withLock', () => {
  const db = useTestDatabase();

  it('does not run fn and returns undefined while another holder has the lock', async () => {
    const first = holdLock(db.ds, 'job:a');
    await first.entered;
    const fn = jest.fn(async () => 'second');
    expect(await withLock(db.ds, 'job:a', fn)).toBeUndefined();
    expect(fn).not.toHaveBeenCalled();
    first.release();
    expect(await first.done).toBe('first');
  });

  it('runs concurrent holders one at a time when they wait', async () => {
    let inside = 0;
    let maxInside = 0;
    const run = (): Promise<number | undefined> =>
      withLock(
        db.ds,
        'job:b',
        async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await tick(30);
          inside--;
          return 1;
        },
        { waitMs: 5_000 },
      );
    const results = await Promise.all([run(), run(), run()]);
    expect(results).toEqual([1, 1, 1]);
    expect(maxInside).toBe(1);
  });

  it('excludes a second DataSource on the same database (another instance)', async () => {
    const other = createDataSource({ url: db.url, poolSize: 2 });
    await other.initialize();
    try {
      const first = holdLock(db.ds, 'job:c');
      await first.entered;
      expect(await withLock(other, 'job:c', async () => 'other')).toBeUndefined();
      expect(await withLock(other, 'job:d', async () => 'other')).toBe('other');
      first.release();
      await first.done;
      expect(await withLock(other, 'job:c', async () => 'other', { waitMs: 1_000 })).toBe('other');
    } finally {
      await other.destroy();
    }
  });

  it('releases the lock when fn throws', async () => {
    await expect(withLock(db.ds, 'job:e', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withLock(db.ds, 'job:e', async () => 'again')).toBe('again');
  });

  it('gives up after waitMs', async () => {
    const first = holdLock(db.ds, 'job:f');
    await first.entered;
    const started = Date.now();
    expect(await withLock(db.ds, 'job:f', async () => 'late', { waitMs: 300 })).toBeUndefined();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(250);
    // Gave up near waitMs rather than waiting for the holder; the bound is loose because a loaded machine is slow.
    expect(waited).toBeLessThan(10_000);
    first.release();
    await first.done;
  });
});

describe('mysqlLockKey', () => {
  it('scopes lock names by database and stays within 64 characters', () => {
    expect(mysqlLockKey('siyu', 'cron:sync')).toBe('siyu:siyu:cron:sync');
    expect(mysqlLockKey('a', 'x')).not.toBe(mysqlLockKey('b', 'x'));
    const long = mysqlLockKey('siyu_production', `token:${'wx'.repeat(40)}`);
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).not.toBe(mysqlLockKey('siyu_production', `token:${'wx'.repeat(41)}`));
  });
});
