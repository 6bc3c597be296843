import { createHash } from 'crypto';
import type { DataSource } from '../../storage';
import type { WecomClient } from '../../../connectors/wecom/client';
import { BY_USER_MAX_LIMIT, BY_USER_MAX_USERIDS } from '../../../connectors/wecom/client';
import type { ByUserPage } from '../../../connectors/wecom/client-types';
import { isWechatApiError } from '../../../connectors/common/http/wechat-api-error';
import type { WecomAccount } from '../../../config';
import { batchTransaction } from '../identity/batch-transaction';
import type { BulkIdentityResolver } from '../identity/bulk-resolver';
import { throwIfAborted, type SyncTask, type SyncTaskContext } from '../sync-types';
import { recordSyncedRelationTags } from '../../tags/reconcile/relation-read.hook';
import { contactObservation } from './contact-refs';
import { recordSyncLosses } from '../../storage/channels/customer-channel.repository';
import { markUnseenFollowsDeleted, upsertFollows } from '../../storage/syncs/wecom-follow.writer';
import { writeWechatValues } from '../../storage/attributes/wechat-attribute.writer';
import { contactValues } from './contact-attributes';

/**
 * Resume point. Staff are walked in sorted order, ≤ 100 per batch/get_by_user chunk; the checkpoint names the
 * chunk by its first userid plus a hash of its members, and the cursor inside it. If the member list changed
 * since (the chunk is no longer the same), the chunk restarts from an empty cursor: its upserts are idempotent.
 */
interface ContactsCheckpoint {
  chunkFirst: string | null;
  chunkHash: string;
  cursor: string;
  listed: boolean;
}

export interface ContactsSyncDeps {
  ds: DataSource;
  client: (corpId: string) => WecomClient;
  resolver: BulkIdentityResolver;
}

export const CONTACTS_SOURCE = 'sync.wecom_contacts';

const hashOf = (userids: readonly string[]) =>
  createHash('sha256').update(userids.join('\n')).digest('hex').slice(0, 16);

/**
 * Full WeCom contacts sync: get_follow_user_list → batch/get_by_user per ≤ 100 staff with
 * cursor paging → customers (external_userid, unionid where given, name, avatar) through bulk identity
 * resolution → `wecom_follows` with remark, add_way, state and relation tags (corp tags in the catalog become
 * `wechat` assignments, DESIGN §10.4); a checkpoint after every page;
 * at the end, relations the run did not see are marked deleted.
 * https://developer.work.weixin.qq.com/document/path/93010
 */
export function contactsSync(deps: ContactsSyncDeps): SyncTask {
  return {
    async run(ctx: SyncTaskContext) {
      if (ctx.account.kind !== 'wecom') throw new Error('contacts needs a wecom account');
      const account = ctx.account;
      const contacts = deps.client(account.corpId).contacts;
      let cp = (ctx.checkpoint as ContactsCheckpoint | null) ?? {
        chunkFirst: null,
        chunkHash: '',
        cursor: '',
        listed: false,
      };
      if (!cp.listed) {
        const staff = [...new Set(await contacts.getFollowUserList())].sort();
        let start = cp.chunkFirst === null ? 0 : staff.findIndex((u) => u >= cp.chunkFirst!);
        if (start < 0) start = staff.length;
        for (let i = start; i < staff.length; i += BY_USER_MAX_USERIDS) {
          const members = staff.slice(i, i + BY_USER_MAX_USERIDS);
          const hash = hashOf(members);
          const cursor = cp.chunkFirst === members[0] && cp.chunkHash === hash ? cp.cursor : '';
          await walkChunk(deps, account, members, cursor, ctx, async (nextCursor, delta) => {
            cp = { chunkFirst: members[0]!, chunkHash: hash, cursor: nextCursor, listed: false };
            const after = nextCursor
              ? cp
              : {
                  chunkFirst: staff[i + BY_USER_MAX_USERIDS] ?? null,
                  chunkHash: '',
                  cursor: '',
                  listed: i + BY_USER_MAX_USERIDS >= staff.length,
                };
            await ctx.savePage(after, delta);
          });
        }
        await ctx.savePage(
          { chunkFirst: null, chunkHash: '', cursor: '', listed: true } satisfies ContactsCheckpoint,
          {},
        );
      }
      // A relation the sync no longer finds is a loss for the customer's first channel, as del_follow_user is.
      // Retried like a page: its range update races the inbox processor's writes to the same corp's relations.
      const gone = await batchTransaction(deps.ds, async (m) => {
        const now = ctx.now();
        const r = await markUnseenFollowsDeleted(m, account.corpId, ctx.startedAt, now);
        await recordSyncLosses(m, r.gone, now);
        return r.marked;
      });
      if (gone > 0) ctx.logger.info({ deleted: gone }, 'relations not seen by the sync marked deleted');
      await ctx.savePage({ chunkFirst: null, chunkHash: '', cursor: '', listed: true } satisfies ContactsCheckpoint, {
        updated: gone,
      });
    },
  };
}

type PageSaved = (nextCursor: string, delta: { processed: number; created: number; updated: number }) => Promise<void>;

/** Pages through one chunk, fetching the next page while the current one is written. */
async function walkChunk(
  deps: ContactsSyncDeps,
  account: WecomAccount,
  members: string[],
  cursor: string,
  ctx: SyncTaskContext,
  saved: PageSaved,
): Promise<void> {
  const contacts = deps.client(account.corpId).contacts;
  const fetch = (c: string): Promise<ReadPage> => {
    const readAt = ctx.now();
    return contacts.batchGetByUser(members, c, BY_USER_MAX_LIMIT).then((page) => ({ page, readAt }));
  };
  let current = cursor;
  let pending: Promise<ReadPage> | undefined = fetch(current).catch((err: unknown) => {
    // The saved cursor no longer fits this chunk; WeCom says start the chunk again.
    if (current && isWechatApiError(err) && err.category === 'CURSOR_EXPIRED') return fetch((current = ''));
    throw err;
  });
  while (pending) {
    throwIfAborted(ctx.signal);
    const read: ReadPage = await pending;
    const { page, readAt } = read;
    const next: string = page.nextCursor && page.nextCursor !== current ? page.nextCursor : '';
    pending = next ? fetch(next) : undefined;
    pending?.catch(() => undefined);
    const created = await writePage(deps, account, page, readAt, ctx);
    await saved(next, { processed: page.items.length, created, updated: page.items.length - created });
    current = next;
  }
}

/** A page and when it was requested: relation tags read then are compared with pushes recorded since (RelationObserver). */
interface ReadPage {
  page: ByUserPage;
  readAt: Date;
}

async function writePage(
  deps: ContactsSyncDeps,
  account: WecomAccount,
  page: ByUserPage,
  readAt: Date,
  ctx: SyncTaskContext,
): Promise<number> {
  if (page.items.length === 0) return 0;
  const observations = page.items.map((item) => contactObservation(account, item.external_contact));
  return batchTransaction(deps.ds, async (em) => {
    const r = await deps.resolver.resolve(em, observations, { source: CONTACTS_SOURCE, syncRunId: ctx.runId });
    const follows = page.items.flatMap((item, i) =>
      r.customerIds[i]
        ? [
            {
              externalUserid: item.external_contact.external_userid,
              customerId: r.customerIds[i]!,
              follow: item.follow_info,
            },
          ]
        : [],
    );
    await upsertFollows(em, account.corpId, follows, ctx.now());
    await writeWechatValues(
      em,
      page.items.flatMap((item, i) =>
        r.customerIds[i] ? contactValues(r.customerIds[i]!, item.external_contact) : [],
      ),
      ctx.now(),
    );
    await recordSyncedRelationTags(em, account.corpId, follows, readAt);
    return r.created;
  });
}
