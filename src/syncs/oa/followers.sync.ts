import type { DataSource } from '../../storage';
import type { IdentityRef } from '../../../connectors/common/identity-types';
import type { OfficialAccountClient } from '../../../connectors/official-account/client';
import { BATCHGET_MAX } from '../../../connectors/official-account/client';
import type { UserInfoWire } from '../../../connectors/official-account/client-types';
import type { OfficialAccount } from '../../../config';
import { batchTransaction } from '../identity/batch-transaction';
import type { BulkIdentityResolver } from '../identity/bulk-resolver';
import { chunk, pipelined } from '../pipeline';
import type { SyncTask, SyncTaskContext } from '../sync-types';
import { followerChunks, WindowLedger, type FollowersCheckpoint } from './follower-chunks';
import { recordSyncLosses } from '../../storage/channels/customer-channel.repository';
import { markUnseenUnsubscribed, upsertSubscriptions } from '../../storage/syncs/oa-subscription.writer';

export interface FollowersSyncDeps {
  ds: DataSource;
  client: (appId: string) => OfficialAccountClient;
  resolver: BulkIdentityResolver;
  /**
   * Followers per write transaction (10 batchget calls of 100): larger transactions commit no faster and hold
   * more user info in memory, against DESIGN §9's RSS limit.
   */
  batchSize?: number;
  /**
   * user/get pages sorted together and checkpointed as one (follower-chunks.ts), for every window; by default see
   * `windowPagesFor`.
   */
  windowPages?: number;
  /** Batches fetched ahead of the ones being written. */
  lookahead?: number;
  /**
   * Write transactions in flight at once (disjoint followers; each its own connection). Three: fewer leave the
   * database server idle between commits, more reach the peak RSS limit of DESIGN §9 for little gain (bench:sync).
   */
  writers?: number;
}

export const FOLLOWERS_SOURCE = 'sync.oa_followers';

/** From this many followers (user/get's `total`) the sync sorts windows of several pages. */
export const WINDOWED_FROM_FOLLOWERS = 200_000;
const LARGE_WINDOW_PAGES = 10;

/**
 * Pages per checkpoint. DESIGN §6 checkpoints after each page, and so does this sync for the first page and for
 * any account under WINDOWED_FROM_FOLLOWERS followers, whose indexes fit a buffer pool anyway. Above it, the random
 * openid-keyed unique indexes outgrow the pool and sorting several pages together pays: each window sweeps the
 * indexes once in key order instead of reading random pages per follower, in no more memory (follower-chunks.ts
 * keeps windows compact). A kill then redoes
 * at most one window (≤ 100,000 followers, found again, not duplicated).
 */
export function windowPagesFor(total: number | null): number {
  return total !== null && total >= WINDOWED_FROM_FOLLOWERS ? LARGE_WINDOW_PAGES : 1;
}

/**
 * Full OA follower sync: user/get pages of 10,000 → batchget of 100 → identities (openid,
 * unionid when the OA is bound) through bulk identity resolution → `oa_subscriptions`; a checkpoint after every
 * page, or window of pages for large accounts (windowPagesFor); at the end, followers of this app the run did not
 * see are marked unsubscribed. Streams across windows: about one and a half windows of openids and a few chunks
 * of user info are in memory. A stop ends the run at the next chunk: chunks in flight finish and complete windows keep their
 * checkpoint.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/Getting_a_User_List.html
 */
export function followersSync(deps: FollowersSyncDeps): SyncTask {
  const batchSize = deps.batchSize ?? 1000;
  return {
    async run(ctx: SyncTaskContext) {
      if (ctx.account.kind !== 'official-account') throw new Error('followers needs an official-account');
      const account = ctx.account;
      const users = deps.client(account.appId).users;
      const cp = (ctx.checkpoint as FollowersCheckpoint | null) ?? { next: '', listed: false };
      // While batches create everyone they meet (a first sync), the next one is inserted optimistically.
      const hint = { expectNew: true };
      if (!cp.listed) {
        const ledger = new WindowLedger((checkpoint, delta) => ctx.savePage(checkpoint, delta));
        await pipelined(
          followerChunks(
            users,
            cp.next,
            { size: batchSize, windowPages: (total) => deps.windowPages ?? windowPagesFor(total) },
            ledger,
            ctx,
          ),
          ({ openids }) =>
            Promise.all(chunk(openids, BATCHGET_MAX).map((part) => users.batchGetUserInfo(part))).then((r) => r.flat()),
          async (infos, { window }) => {
            const created = await writeBatch(deps, account, infos, ctx, hint);
            await ledger.committed(window, created);
          },
          { lookahead: deps.lookahead ?? 1, writers: deps.writers ?? 3 },
        );
        await ctx.savePage({ next: '', listed: true } satisfies FollowersCheckpoint, {});
      }
      // A follower the sync no longer finds is a loss for the customer's first channel, as an unsubscribe is.
      // Retried like a batch: its range update races the inbox processor's writes to the same account's followers.
      const marked = await batchTransaction(deps.ds, async (m) => {
        const now = ctx.now();
        const r = await markUnseenUnsubscribed(m, account.appId, ctx.runId, ctx.startedAt, now);
        await recordSyncLosses(m, r.gone, now);
        return r.marked;
      });
      if (marked > 0) ctx.logger.info({ unsubscribed: marked }, 'followers not seen by the sync marked unsubscribed');
      await ctx.savePage({ next: '', listed: true } satisfies FollowersCheckpoint, { updated: marked });
    },
  };
}

/** One transaction: resolve the batch's identities, then upsert its subscriptions. Returns customers created. */
async function writeBatch(
  deps: FollowersSyncDeps,
  account: OfficialAccount,
  infos: UserInfoWire[],
  ctx: SyncTaskContext,
  hint: { expectNew: boolean },
): Promise<number> {
  const observations = infos.map((info) => ({ identities: refsOf(account, info) }));
  return batchTransaction(deps.ds, async (em) => {
    const r = await deps.resolver.resolve(em, observations, {
      source: FOLLOWERS_SOURCE,
      syncRunId: ctx.runId,
      expectNew: hint.expectNew,
    });
    hint.expectNew = r.created === infos.length && r.single === 0;
    // An erased person (tombstoned identity) resolves to null: nothing of theirs is stored again (DESIGN §7).
    const rows = infos.flatMap((info, i) => (r.customerIds[i] ? [{ info, customerId: r.customerIds[i]! }] : []));
    await upsertSubscriptions(em, account.appId, rows, ctx.runId, ctx.now());
    return r.created;
  });
}

/** openid always; unionid only when WeChat returned one (absent, null or "" otherwise; wechat-api.md §9). */
export function refsOf(account: OfficialAccount, info: UserInfoWire): IdentityRef[] {
  const refs: IdentityRef[] = [{ type: 'oa_openid', scope: account.appId, value: info.openid }];
  if (info.unionid) refs.push({ type: 'unionid', scope: account.openPlatformId, value: info.unionid });
  return refs;
}
