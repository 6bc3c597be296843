import type { DataSource } from '../../storage';
import { isWechatApiError } from '../../../connectors/common/http/wechat-api-error';
import type { OfficialAccountClient } from '../../../connectors/official-account/client';
import type { UserInfoWire } from '../../../connectors/official-account/client-types';
import type { OfficialAccount } from '../../../config';
import type { IdentityService } from '../../identity/identity.service';
import { retryingTransaction } from '../../storage/conflict-retry';
import { refsOf } from '../oa/followers.sync';
import { upsertSubscriptions } from '../../storage/syncs/oa-subscription.writer';
import { writeWechatValues } from '../../storage/attributes/wechat-attribute.writer';
import { userInfoValues } from '../oa/user-attributes';
import type { RefreshJob, RefreshQueueRepository } from '../../storage/syncs/refresh-queue.repository';

export const OA_REFRESH_SOURCE = 'refresh.oa_user';

/**
 * A subscribe callback carries only the openid (wechat-api.md §9): read user/info for the unionid (OA bound to
 * an open platform), scene, remark and language, link the identities, and refresh the subscription row. A user who
 * already unfollowed again (subscribe 0) or an openid WeChat no longer knows (SUBJECT_GONE) leaves nothing to do.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/Get_users_basic_information_UnionID.html#UinonId
 */
export async function refreshOaUser(
  deps: {
    ds: DataSource;
    client: OfficialAccountClient;
    identity: IdentityService;
    queue: RefreshQueueRepository;
    now: () => number;
  },
  account: OfficialAccount,
  job: RefreshJob,
): Promise<void> {
  let info: UserInfoWire | undefined;
  try {
    info = await deps.client.users.getUserInfo(job.subject);
  } catch (err) {
    if (!(isWechatApiError(err) && err.category === 'SUBJECT_GONE')) throw err;
  }
  await retryingTransaction(deps.ds, async (em) => {
    const now = new Date(deps.now());
    if (info && info.subscribe === 1) {
      const r = await deps.identity.resolve(em, { identities: refsOf(account, info), source: OA_REFRESH_SOURCE });
      if (r.customerId) {
        await upsertSubscriptions(em, account.appId, [{ info, customerId: r.customerId }], null, now);
        await writeWechatValues(em, userInfoValues(r.customerId, info), now);
      }
    }
    await deps.queue.complete(em, job, now);
  });
}
