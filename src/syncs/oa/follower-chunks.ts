import type { OaUsersApi } from '../../../connectors/official-account/client/users.api';
import type { FollowerPage } from '../../../connectors/official-account/client-types';
import { chunk } from '../pipeline';
import { throwIfAborted, type SyncCounts, type SyncTaskContext } from '../sync-types';

/** Resume point: the next_openid after the last committed page; `listed` once user/get reached the end. */
export interface FollowersCheckpoint {
  next: string;
  listed: boolean;
}

/** One user/get page on its way to the database: written once all of its chunks have committed. */
export interface PageEntry {
  readonly checkpoint: FollowersCheckpoint;
  readonly size: number;
  remaining: number;
  created: number;
}

export interface FollowerChunk {
  page: PageEntry;
  openids: string[];
}

/**
 * Chunks of several pages are written at once and commit out of order; a page's checkpoint is saved once all of
 * its chunks and every page before it have committed, in page order, so a killed run resumes after the last page
 * whose rows are all stored (chunks of later pages that committed are simply resolved again).
 */
export class PageLedger {
  private readonly open: PageEntry[] = [];
  private saved: Promise<void> = Promise.resolve();

  constructor(private readonly save: (checkpoint: FollowersCheckpoint, delta: Partial<SyncCounts>) => Promise<void>) {}

  add(checkpoint: FollowersCheckpoint, size: number, chunks: number): PageEntry {
    const page = { checkpoint, size, remaining: chunks, created: 0 };
    this.open.push(page);
    return page;
  }

  /** A chunk of `page` committed, creating `created` customers; resolves once the checkpoints it completes are saved. */
  committed(page: PageEntry, created: number): Promise<void> {
    page.remaining--;
    page.created += created;
    while (this.open[0]?.remaining === 0) {
      const done = this.open.shift()!;
      this.saved = this.saved.then(() => this.save(done.checkpoint, { processed: done.size, created: done.created, updated: done.size - done.created }));
    }
    return this.saved;
  }
}

/**
 * user/get pages from `cursor` to the end (the next page fetched while this one is written), each cut into chunks
 * of `size` contiguous openids in key order. Sorted chunks touch a narrow range of the random openid-keyed unique
 * indexes (identities, oa_subscriptions) instead of all of it; every other page runs descending so it starts on
 * the index pages the previous one touched last, still in the buffer pool (an ascending sweep after an ascending
 * sweep starts on the pages least recently used, the first to be evicted on a pool smaller than the indexes).
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/Getting_a_User_List.html
 */
export async function* followerChunks(users: OaUsersApi, cursor: string, size: number, ledger: PageLedger, ctx: SyncTaskContext): AsyncGenerator<FollowerChunk> {
  let pending: Promise<FollowerPage> | undefined = users.getFollowers(cursor);
  for (let n = 0; pending; n++) {
    throwIfAborted(ctx.signal);
    const page: FollowerPage = await pending;
    await ctx.setTotal(page.total);
    if (page.openids.length === 0) return;
    const next = page.nextOpenid;
    pending = next && next !== cursor ? users.getFollowers(next) : undefined;
    pending?.catch(() => undefined);
    const sorted = [...page.openids].sort();
    if (n % 2 === 1) sorted.reverse();
    const parts = chunk(sorted, size);
    const entry = ledger.add({ next, listed: !pending }, page.openids.length, parts.length);
    for (const openids of parts) {
      throwIfAborted(ctx.signal);
      yield { page: entry, openids };
    }
    cursor = next;
  }
}
