import type { OaUsersApi } from '../../../connectors/official-account/client/users.api';
import type { FollowerPage } from '../../../connectors/official-account/client-types';
import { chunk } from '../pipeline';
import { throwIfAborted, type SyncCounts, type SyncTaskContext } from '../sync-types';

/** Resume point: the next_openid after the last committed window of pages; `listed` once user/get reached the end. */
export interface FollowersCheckpoint {
  next: string;
  listed: boolean;
}

/** One window of user/get pages on its way to the database: its checkpoint is saved once all its chunks committed. */
export interface WindowEntry {
  readonly checkpoint: FollowersCheckpoint;
  readonly size: number;
  remaining: number;
  created: number;
}

export interface FollowerChunk {
  window: WindowEntry;
  openids: string[];
}

/**
 * Chunks of several windows are written at once and commit out of order; a window's checkpoint is saved once all
 * of its chunks and every window before it have committed, in order, so a killed run resumes after the last
 * window whose rows are all stored (chunks of later windows that committed are simply resolved again).
 */
export class WindowLedger {
  private readonly open: WindowEntry[] = [];
  private saved: Promise<void> = Promise.resolve();

  constructor(private readonly save: (checkpoint: FollowersCheckpoint, delta: Partial<SyncCounts>) => Promise<void>) {}

  add(checkpoint: FollowersCheckpoint, size: number, chunks: number): WindowEntry {
    const entry = { checkpoint, size, remaining: chunks, created: 0 };
    this.open.push(entry);
    return entry;
  }

  /** A chunk of `entry` committed, creating `created` customers; resolves once the checkpoints it completes are saved. */
  committed(entry: WindowEntry, created: number): Promise<void> {
    entry.remaining--;
    entry.created += created;
    while (this.open[0]?.remaining === 0) {
      const done = this.open.shift()!;
      this.saved = this.saved.then(() =>
        this.save(done.checkpoint, { processed: done.size, created: done.created, updated: done.size - done.created }),
      );
    }
    return this.saved;
  }
}

/** Consecutive user/get pages read as one: their openids and the checkpoint after the last of them. */
interface FollowerWindow {
  openids: string[];
  checkpoint: FollowersCheckpoint;
  total: number | null;
}

/**
 * Up to `pages` user/get pages from `cursor`. The list ends on an empty page or an empty (or repeated)
 * next_openid (wechat-api.md §2.1: both endings happen).
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/Getting_a_User_List.html
 */
async function readWindow(users: OaUsersApi, cursor: string, pages: number): Promise<FollowerWindow> {
  const openids: string[] = [];
  let total: number | null = null;
  let next = cursor;
  for (let i = 0; i < pages; i++) {
    const page: FollowerPage = await users.getFollowers(next);
    total = page.total;
    if (page.openids.length === 0) return { openids, checkpoint: { next, listed: true }, total };
    for (const o of page.openids) openids.push(o);
    const prev = next;
    next = page.nextOpenid;
    if (!next || next === prev) return { openids, checkpoint: { next, listed: true }, total };
  }
  return { openids, checkpoint: { next, listed: false }, total };
}

/**
 * Windows of `windowPages(total)` user/get pages from `cursor` to the end, each sorted and cut into chunks of
 * `size` contiguous openids. The openid-keyed unique indexes (identities, oa_subscriptions) take random keys: a
 * 1,000-follower chunk of one page lands on ~1,000 leaf pages spread over the whole index, and at a million
 * followers those indexes outgrow a small buffer pool, so most inserts read and later write back a page. A sorted
 * window's chunks each cover a narrow key range, and the window sweeps each index once; every other window runs
 * descending, so it starts on the index pages the previous one touched last, still in the pool. The checkpoint
 * is the cursor after a window, saved once all its chunks committed: a killed run redoes at most one window (its
 * rows are found, not duplicated).
 *
 * Memory: a window's unwritten chunks are kept as one string each (openids joined by a newline, ~30 bytes per
 * follower instead of ~56 for a string object and its slot), and the next window is read while the second half
 * of this one is written, not from its start, so about one and a half windows are held, not two.
 */
export async function* followerChunks(
  users: OaUsersApi,
  cursor: string,
  opts: { size: number; windowPages: (total: number | null) => number },
  ledger: WindowLedger,
  ctx: SyncTaskContext,
): AsyncGenerator<FollowerChunk> {
  throwIfAborted(ctx.signal);
  let pending: Promise<FollowerWindow> | undefined = readWindow(users, cursor, opts.windowPages(null));
  for (let n = 0; pending; n++) {
    const win: FollowerWindow = await pending;
    pending = undefined;
    if (win.total !== null) await ctx.setTotal(win.total);
    if (win.openids.length === 0) return;
    win.openids.sort();
    if (n % 2 === 1) win.openids.reverse();
    const parts = packedChunks(win.openids, opts.size);
    const entry = ledger.add(win.checkpoint, win.openids.length, parts.length);
    win.openids = [];
    const readNext = () => {
      if (pending || win.checkpoint.listed) return;
      pending = readWindow(users, win.checkpoint.next, opts.windowPages(win.total));
      pending.catch(() => undefined);
    };
    // Read-ahead once at most half of the window (and at least READ_AHEAD_CHUNKS chunks) is left to write.
    const readAheadAt = parts.length - Math.max(READ_AHEAD_CHUNKS, Math.ceil(parts.length / 2));
    for (let i = 0; i < parts.length; i++) {
      if (i >= readAheadAt) readNext();
      throwIfAborted(ctx.signal);
      const part = parts[i]!;
      parts[i] = '';
      yield { window: entry, openids: typeof part === 'string' ? part.split(SEPARATOR) : part };
    }
    readNext();
  }
}

/** Chunks left to write when the next window starts being read, at the least (a one-page window: right away). */
const READ_AHEAD_CHUNKS = 10;
const SEPARATOR = '\n';

/** Chunks of `size` openids, each joined into one string (or kept as an array if an openid held the separator). */
function packedChunks(openids: readonly string[], size: number): (string | string[])[] {
  return chunk(openids, size).map((part) => (part.some((o) => o.includes(SEPARATOR)) ? part : part.join(SEPARATOR)));
}
