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
      pipelined(source(), async (i) => i, async (i) => {
        await new Promise((r) => setTimeout(r, i === 3 ? 1 : 5));
        if (i === 3) throw new Error('boom');
        settled.push(i);
      }, { lookahead: 0, writers: 2 }),
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
    await expect(pipelined(source(), async (i) => i, async (i) => {
      await new Promise((r) => setTimeout(r, 5));
      settled.push(i);
    }, { lookahead: 0, writers: 2 })).rejects.toThrow('stopped');
    expect(settled.sort()).toEqual([1, 2]);
  });
});

describe('followerChunks with the default window policy', () => {
  /** A user/get double: `total` followers listed 10,000 per page; records the cursor of every call. */
  function lister(total: number) {
    const calls: string[] = [];
    const all = Array.from({ length: total }, (_, i) => `o${String(i).padStart(9, '0')}`);
    return {
      calls,
      users: {
        async getFollowers(next: string) {
          calls.push(next);
          const from = next === '' ? 0 : all.indexOf(next) + 1;
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
    for await (const c of followerChunks(users as never, '', { size: 1000, windowPages: windowPagesFor }, ledger, ctx)) void c;
    return sizes;
  }

  it('checkpoints after each page (DESIGN §6) below the windowed size', async () => {
    expect(await windows(35_000)).toEqual([10_000, 10_000, 10_000, 5_000]);
  });

  it('sorts windows of five pages once the account is large, the first page still on its own', async () => {
    const sizes = await windows(WINDOWED_FROM_FOLLOWERS + 60_000);
    expect(sizes.slice(0, 3)).toEqual([10_000, 50_000, 50_000]);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(WINDOWED_FROM_FOLLOWERS + 60_000);
  });
});
