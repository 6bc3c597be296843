import type { DataSource } from '../../storage';
import { isWechatApiError } from '../../../connectors/common/http/wechat-api-error';
import type { WecomClient } from '../../../connectors/wecom/client';
import { GROUP_LIST_MAX_LIMIT, GROUP_LIST_MAX_OWNERS } from '../../../connectors/wecom/client';
import type { GroupChatListRequest } from '../../../connectors/wecom/client-types';
import type { WecomAccount } from '../../../config';
import { resignedOwners, unseenGroups } from '../../storage/groups/wecom-group.repository';
import { batchTransaction } from '../identity/batch-transaction';
import type { BulkIdentityResolver } from '../identity/bulk-resolver';
import { throwIfAborted, type SyncTask, type SyncTaskContext } from '../sync-types';
import { readGroup, writeGroupReads, type GroupRead } from './group-read.writer';

/**
 * Resume point. `all` walks groupchat/list unfiltered; when WeCom refuses that (81017: the app sees more than
 * 1000 people) `owners` walks it per ≤ 100 members with the customer-contact feature; `resigned` then walks the
 * owners who left (their groups show only when named); `unseen` re-reads stored groups no list showed (dismissed
 * groups drop out of the list). `chunk` is the owner chunk, `cursor` the list page being read and `offset` how
 * many of its groups are stored.
 */
interface GroupsCheckpoint {
  phase: 'all' | 'owners' | 'resigned' | 'unseen' | 'done';
  chunk: number;
  cursor: string;
  offset: number;
}

export interface GroupsSyncDeps {
  ds: DataSource;
  client: (corpId: string) => WecomClient;
  resolver: BulkIdentityResolver;
}

export const GROUPS_SOURCE = 'sync.wecom_groups';
/** groupchat/get calls in flight at once, and groups stored per transaction and checkpoint. */
const READ_SLICE = 8;

const tooWide = (err: unknown): boolean => isWechatApiError(err) && err.category === 'FILTER_REQUIRED';
const staleCursor = (err: unknown): boolean => isWechatApiError(err) && err.category === 'CURSOR_EXPIRED';

/**
 * Full WeCom customer-group sync (DESIGN §10.1): groupchat/list (cursor, 1000 per page, every status) then
 * groupchat/get with need_name=1 per group → `wecom_groups` and `wecom_group_members`; external members go
 * through identity resolution (external_userid, and unionid where WeCom gives one), members a read no longer
 * lists get `left_at`, a group WeCom no longer knows (a stored group no list showed, read again: 40050/49008) is
 * kept as dismissed. A checkpoint after every few groups.
 * https://developer.work.weixin.qq.com/document/path/93414 · https://developer.work.weixin.qq.com/document/path/96338
 */
export function groupsSync(deps: GroupsSyncDeps): SyncTask {
  return {
    async run(ctx: SyncTaskContext) {
      if (ctx.account.kind !== 'wecom') throw new Error('groups needs a wecom account');
      const account = ctx.account;
      const wecom = deps.client(account.corpId);
      let cp: GroupsCheckpoint = (ctx.checkpoint as GroupsCheckpoint | null) ?? {
        phase: 'all',
        chunk: 0,
        cursor: '',
        offset: 0,
      };
      const save = async (
        next: GroupsCheckpoint,
        delta: { processed?: number; created?: number; updated?: number } = {},
      ) => {
        cp = next;
        await ctx.savePage(cp, delta);
      };

      if (cp.phase === 'all') {
        try {
          await walk(deps, wecom, account, {}, cp, ctx, (c, d) => save({ ...c, phase: 'all' }, d));
          await save({ phase: 'resigned', chunk: 0, cursor: '', offset: 0 });
        } catch (err) {
          if (!tooWide(err) || cp.cursor !== '' || cp.offset !== 0) throw err;
          ctx.logger.info('groupchat/list refused unfiltered (81017); reading the groups owner by owner');
          await save({ phase: 'owners', chunk: 0, cursor: '', offset: 0 });
        }
      }
      for (const phase of ['owners', 'resigned'] as const) {
        if (cp.phase !== phase) continue;
        const owners =
          phase === 'owners'
            ? [...new Set(await wecom.contacts.getFollowUserList())].sort()
            : await resignedOwners(deps.ds, account.corpId);
        for (let chunk = cp.chunk; chunk * GROUP_LIST_MAX_OWNERS < owners.length; chunk++) {
          const ownerUserids = owners.slice(chunk * GROUP_LIST_MAX_OWNERS, (chunk + 1) * GROUP_LIST_MAX_OWNERS);
          const from = chunk === cp.chunk ? cp : { phase, chunk, cursor: '', offset: 0 };
          await walk(deps, wecom, account, { ownerUserids }, from, ctx, (c, d) => save({ ...c, phase, chunk }, d));
          await save({ phase, chunk: chunk + 1, cursor: '', offset: 0 });
        }
        await save({ phase: phase === 'owners' ? 'resigned' : 'unseen', chunk: 0, cursor: '', offset: 0 });
      }
      if (cp.phase === 'unseen') {
        // Each group read here is either stored (seen now) or marked dismissed, so the query moves on by itself.
        for (;;) {
          throwIfAborted(ctx.signal);
          const stale = await unseenGroups(deps.ds, account.corpId, ctx.startedAt, READ_SLICE);
          if (stale.length === 0) break;
          const created = await storeReads(deps, account, await readAll(wecom, stale), ctx);
          await save(cp, { processed: stale.length, created, updated: stale.length });
        }
        await save({ phase: 'done', chunk: 0, cursor: '', offset: 0 });
      }
    },
  };
}

type Saved = (cp: GroupsCheckpoint, delta: { processed: number; created: number; updated: number }) => Promise<void>;

/** Walks one groupchat/list from a checkpoint, reading and storing its groups a slice at a time. */
async function walk(
  deps: GroupsSyncDeps,
  wecom: WecomClient,
  account: WecomAccount,
  filter: GroupChatListRequest,
  from: GroupsCheckpoint,
  ctx: SyncTaskContext,
  saved: Saved,
): Promise<void> {
  let cursor = from.cursor;
  let offset = from.offset;
  for (;;) {
    throwIfAborted(ctx.signal);
    let page;
    try {
      page = await wecom.groups.listGroupChats({ ...filter, cursor, limit: GROUP_LIST_MAX_LIMIT });
    } catch (err) {
      // 50100: the saved cursor has expired; the walk starts again (its writes are idempotent).
      if (cursor === '' || !staleCursor(err)) throw err;
      [cursor, offset] = ['', 0];
      continue;
    }
    const next = page.nextCursor && page.nextCursor !== cursor ? page.nextCursor : '';
    const groups = page.items.map((g) => ({ chatId: g.chat_id, ownerStatus: g.status }));
    const sliceAt = (i: number) => groups.slice(i, i + READ_SLICE);
    // The next slice is read while this one is stored: WeCom's answers and the database writes overlap.
    let reading: Promise<GroupRead[]> | undefined;
    for (let i = Math.min(offset, groups.length); i < groups.length; i += READ_SLICE) {
      throwIfAborted(ctx.signal);
      const slice = sliceAt(i);
      const reads = await (reading ?? readAll(wecom, slice));
      reading = i + READ_SLICE < groups.length ? readAll(wecom, sliceAt(i + READ_SLICE)) : undefined;
      // Awaited in the next round; a sync that stops first must not leave its failure unhandled.
      reading?.catch(() => undefined);
      const created = await storeReads(deps, account, reads, ctx);
      const done = i + slice.length;
      await saved(done < page.items.length ? { ...from, cursor, offset: done } : { ...from, cursor: next, offset: 0 }, {
        processed: slice.length,
        created,
        updated: slice.length,
      });
    }
    if (page.items.length === 0)
      await saved({ ...from, cursor: next, offset: 0 }, { processed: 0, created: 0, updated: 0 });
    if (!next) return;
    [cursor, offset] = [next, 0];
  }
}

/** groupchat/get of each group of a slice, all in flight at once. */
function readAll(wecom: WecomClient, groups: readonly { chatId: string; ownerStatus: number }[]): Promise<GroupRead[]> {
  return Promise.all(groups.map(async (g) => ({ ...g, group: await readGroup(wecom, g.chatId) })));
}

/** Stores a slice of reads in one transaction (one identity resolution, a few statements); returns customers created. */
function storeReads(
  deps: GroupsSyncDeps,
  account: WecomAccount,
  reads: readonly GroupRead[],
  ctx: SyncTaskContext,
): Promise<number> {
  return batchTransaction(deps.ds, (em) =>
    writeGroupReads(
      em,
      { resolver: deps.resolver, source: GROUPS_SOURCE, syncRunId: ctx.runId, timeline: 'known-groups' },
      account,
      reads,
      ctx.now(),
    ),
  );
}
