import type { DataSource } from '../../storage';
import type { WecomClient } from '../../../connectors/wecom/client';
import { retryingTransaction } from '../../storage/conflict-retry';
import { markLeft, saveMembers } from '../../storage/staff/wecom-staff.repository';
import { readDepartmentNames, readMember } from '../wecom/staff.sync';
import type { RefreshJob, RefreshQueueRepository } from '../../storage/syncs/refresh-queue.repository';

/**
 * A change_contact callback may carry only UserID and Department: read the member (user/get) and the department
 * names (department/list) so the directory has the name before the next staff sync. A member the secret may not
 * read keeps what the callback stored; one WeCom no longer knows is `left` if stored (a hint for a userid renamed
 * since must not bring the old userid back as a row).
 * https://developer.work.weixin.qq.com/document/path/96255
 */
export async function refreshWecomMember(
  deps: { ds: DataSource; client: WecomClient; queue: RefreshQueueRepository; now: () => number },
  job: RefreshJob,
): Promise<void> {
  const member = await readMember(deps.client, job.subject, await readDepartmentNames(deps.client));
  await retryingTransaction(deps.ds, async (em) => {
    const now = new Date(deps.now());
    if (member?.status === 'left' && member.name === undefined)
      await markLeft(em, deps.client.corpId, job.subject, now);
    else if (member) await saveMembers(em, deps.client.corpId, [member], now);
    await deps.queue.complete(em, job, now);
  });
}
