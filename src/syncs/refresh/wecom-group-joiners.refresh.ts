import type { WecomAccount } from '../../../config';
import { retryingTransaction } from '../../storage/conflict-retry';
import { memberObservations, readGroup } from '../wecom/group-read.writer';
import type { RefreshJob } from '../../storage/syncs/refresh-queue.repository';
import type { GroupRefreshDeps } from './wecom-group.refresh';

export const GROUP_JOINERS_SOURCE = 'refresh.wecom_group_joiners';

/**
 * The early read of a group someone just joined (early-group-rereads.ts): groupchat/get while the new members are
 * still in it, their identities resolved like any group read's (external_userid with its unionid) and nothing
 * else — the group's rows and timeline are the inbox's re-read's (wecom-group.refresh.ts), which also covers a
 * read too early to list them yet (WeCom fills some fields in after the event).
 * https://developer.work.weixin.qq.com/document/path/96338
 */
export async function refreshWecomGroupJoiners(
  deps: GroupRefreshDeps,
  account: WecomAccount,
  job: RefreshJob,
): Promise<void> {
  const group = await readGroup(deps.client, job.subject);
  const observations = group ? memberObservations(account, group) : [];
  await retryingTransaction(deps.ds, async (em) => {
    if (observations.length > 0)
      await deps.resolver.resolve(em, observations, { source: GROUP_JOINERS_SOURCE, syncRunId: null });
    await deps.queue.complete(em, job, new Date(deps.now()));
  });
}
