import type { WecomClient } from '../../../connectors/wecom/client';
import type { WecomAccount } from '../../../config';
import type { DataSource } from '../../storage';
import { retryingTransaction } from '../../storage/conflict-retry';
import { ownerStatusOf } from '../../storage/groups/wecom-group.repository';
import type { BulkIdentityResolver } from '../identity/bulk-resolver';
import { readGroup, writeGroupRead } from '../wecom/group-read.writer';
import type { RefreshJob, RefreshQueueRepository } from '../../storage/syncs/refresh-queue.repository';

export const GROUP_REFRESH_SOURCE = 'refresh.wecom_group';

/** What a group read from the refresh queue needs (the inbox's re-read and a join's early read). */
export interface GroupRefreshDeps {
  ds: DataSource;
  client: WecomClient;
  resolver: BulkIdentityResolver;
  queue: RefreshQueueRepository;
  now: () => number;
}

/**
 * change_external_chat is only a hint (WeChat may lose or reorder them, and groupchat/get fills some fields in
 * later): re-read the group and store what WeCom says now — members who joined, `left_at` for those gone, the
 * group dismissed when WeCom no longer has it (DESIGN §10.1). Hints for one group coalesce into one read.
 * https://developer.work.weixin.qq.com/document/path/96338
 */
export async function refreshWecomGroup(deps: GroupRefreshDeps, account: WecomAccount, job: RefreshJob): Promise<void> {
  const group = await readGroup(deps.client, job.subject);
  await retryingTransaction(deps.ds, async (em) => {
    const now = new Date(deps.now());
    const status = (await ownerStatusOf(em, account.corpId, job.subject)) ?? 0;
    await writeGroupRead(
      em,
      { resolver: deps.resolver, source: GROUP_REFRESH_SOURCE, syncRunId: null, timeline: 'all' },
      account,
      job.subject,
      status,
      group,
      now,
    );
    await deps.queue.complete(em, job, now);
  });
}
