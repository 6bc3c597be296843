import { followerChunks, WindowLedger } from '../../src/syncs/oa/follower-chunks';
import { WINDOWED_FROM_FOLLOWERS, windowPagesFor } from '../../src/syncs/oa/followers.sync';
import type { SyncTaskContext } from '../../src/syncs/sync-types';
import { pipelined } from '../../src/syncs/pipeline';

describe('WindowLedger', () => {
  it('saves a window only once all its chunks and every earlier window committed, in order', async () => {
    const saved: [string, unknown][] = [];
    const ledger = new WindowLedger(async (cp, delta) => void saved.push([cp.next, delta]));
    const p1 = ledger.add({ next: 'a', listed: false }, 10, 2);
    const p2 = ledger.add({ next: '', listed: true }, 5, 1);
    await ledger.committed(p2, 5);
    expect(saved).toEqual([]);
    await ledger.committed(p1, 4);
    expect(saved).toEqual([]);
    await ledger.committed(p1, 0);
    expect(saved).toEqual([
      ['a', { processed: 10, created: 4, updated: 6 }],
      ['', { processed: 5, created: 5, updated: 0 }],
    ]);
  });
});

describe('pipelined', () => {
  it('pulls chunks lazily: no more than lookahead + writers fetched and unwritten at once, all written', async () => {
    let pulled = 0;
    let fetchedUnwritten = 0;
    let most = 0;
    async function* source() {
      for (let i = 0; i < 20; i++) {
        pulled++;
        yield i;
      }
    }
    const written: number[] = [];
    await pipelined(
      source(),
      async (i) => {
        fetchedUnwritten++;
        most = Math.max(most, fetchedUnwritten);
        return i * 10;
      },
      async (v) => {
        await new Promise((r) => setTimeout(r, 2));
        fetchedUnwritten--;
        written.push(v);
      },
      { lookahead: 1, writers: 2 },
    );
    expect(pulled).toBe(20);
    expect(written.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(most).toBeLessThanOrEqual(3);
  });

  it('a failed write stops the pulling, lets the writes in flight settle and rejects with the first error', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i;
      }
    }
    const settled: number[] = [];
    await expect(
      pipelined(
        source(),
        async (i) => i,
        async (i) => {
          await new Promise((r) => setTimeout(r, i === 3 ? 1 : 5));
          if (i === 3) throw new Error('boom');
          settled.push(i);
        },
        { lookahead: 0, writers: 2 },
      ),
    ).rejects.toThrow('boom');
    expect(pulled).toBeLessThan(10);
    expect(settled).toContain(2);
  });

  it('a source that throws (a stopped sync) rejects after the writes in flight settle', async () => {
    const settled: number[] = [];
    async function* source() {
      yield 1;
      yield 2;
      throw new Error('stopped');
    }
    await expect(
      pipelined(
        source(),
        async (i) => i,
        async (i) => {
          await new Promise((r) => setTimeout(r, 5));
          settled.push(i);
        },
        { lookahead: 0, writers: 2 },
      ),
    ).rejects.toThrow('stopped');
    expect(settled.sort()).toEqual([1, 2]);
  });
});

describe('followerChunks with the default window policy', () => {
  /** A user/get double: `total` followers (not a multiple of 7919) listed 10,000 per page; records the cursor of every call. */
  function lister(total: number) {
    const calls: string[] = [];
    // listed out of order, as WeChat lists them (7919 is prime, so i·7919 mod total is a permutation here)
    const all = Array.from({ length: total }, (_, i) => `o${String((i * 7919) % total).padStart(9, '0')}`);
    const index = new Map(all.map((o, i) => [o, i]));
    return {
      calls,
      users: {
        async getFollowers(next: string) {
          calls.push(next);
          const from = next === '' ? 0 : index.get(next)! + 1;
          const openids = all.slice(from, from + 10_000);
          return { total, openids, nextOpenid: openids.length > 0 ? openids[openids.length - 1]! : '' };
        },
      },
    };
  }
  const ctx = { signal: new AbortController().signal, setTotal: async () => undefined } as unknown as SyncTaskContext;

  async function windows(total: number): Promise<number[]> {
    const { users } = lister(total);
    const sizes: number[] = [];
    const ledger = new WindowLedger(async () => undefined);
    const add = ledger.add.bind(ledger);
    ledger.add = (cp, n, parts) => (sizes.push(n), add(cp, n, parts));
    for await (const c of followerChunks(users as never, '', { size: 1000, windowPages: windowPagesFor }, ledger, ctx))
      void c;
    return sizes;
  }

  it('checkpoints after each page (DESIGN §6) below the windowed size', async () => {
    expect(await windows(35_000)).toEqual([10_000, 10_000, 10_000, 5_000]);
  });

  it('sorts windows of ten pages once the account is large, the first page still on its own', async () => {
    const sizes = await windows(WINDOWED_FROM_FOLLOWERS + 160_000);
    expect(sizes.slice(0, 3)).toEqual([10_000, 100_000, 100_000]);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(WINDOWED_FROM_FOLLOWERS + 160_000);
  });

  it('yields every openid once, sorted within a window (every other window descending)', async () => {
    const total = WINDOWED_FROM_FOLLOWERS + 25_000;
    const byWindow = new Map<unknown, string[]>();
    for await (const c of followerChunks(
      lister(total).users as never,
      '',
      { size: 1000, windowPages: windowPagesFor },
      new WindowLedger(async () => undefined),
      ctx,
    )) {
      const list = byWindow.get(c.window) ?? [];
      byWindow.set(c.window, list.concat(c.openids));
    }
    const windowsSeen = [...byWindow.values()];
    expect(windowsSeen.map((w) => w.length)).toEqual([10_000, 100_000, 100_000, 15_000]);
    const all = windowsSeen.flat();
    expect(new Set(all).size).toBe(total);
    // compared as one string each: a failing toEqual on 100,000-element arrays takes jest minutes to diff
    const joined = (w: string[]) => w.join(',');
    expect(joined(windowsSeen[0]!)).toBe(joined([...windowsSeen[0]!].sort()));
    expect(joined(windowsSeen[1]!)).toBe(joined([...windowsSeen[1]!].sort().reverse()));
    expect(joined(windowsSeen[2]!)).toBe(joined([...windowsSeen[2]!].sort()));
  });

  it('reads the next window while the second half of the current one is written, not before', async () => {
    const { users, calls } = lister(WINDOWED_FROM_FOLLOWERS + 160_000);
    const started: number[] = [];
    for await (const c of followerChunks(
      users as never,
      '',
      { size: 1000, windowPages: windowPagesFor },
      new WindowLedger(async () => undefined),
      ctx,
    )) {
      void c;
      started.push(calls.length);
    }
    // chunks 0–9: the first page alone (its read-ahead starts at once); 10–109: the first ten-page window, whose
    // read-ahead starts at its 51st chunk (overall 60) — before that only its own 10 pages and the first were read
    expect(started[0]).toBeGreaterThanOrEqual(2);
    expect(started[59]).toBe(11);
    expect(started[60]).toBeGreaterThanOrEqual(12);
    expect(started).toHaveLength((WINDOWED_FROM_FOLLOWERS + 160_000) / 1000);
  });

  it('keeps a chunk whose openid holds the separator intact', async () => {
    const odd = ['o-1', 'o\n2', 'o-3'];
    const users = {
      getFollowers: async (next: string) =>
        next === '' ? { total: 3, openids: odd, nextOpenid: '' } : { total: 3, openids: [], nextOpenid: '' },
    };
    const out: string[] = [];
    for await (const c of followerChunks(
      users as never,
      '',
      { size: 1000, windowPages: () => 1 },
      new WindowLedger(async () => undefined),
      ctx,
    ))
      out.push(...c.openids);
    expect(out.sort()).toEqual([...odd].sort());
  });
});
