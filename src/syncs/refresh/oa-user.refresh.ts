import { isWechatApiError } from '../../../connectors/common/http/wechat-api-error';
import type { OfficialAccountClient } from '../../../connectors/official-account/client';
import type { UserInfoWire } from '../../../connectors/official-account/client-types';
import type { OfficialAccount } from '../../../config';
import type { RefreshDeps } from './refresh-deps';
import { IdentityCache } from '../../identity/identity-cache';
import { retryingTransaction } from '../../storage/conflict-retry';
import { refsOf } from '../oa/followers.sync';
import { upsertSubscriptions } from '../../storage/syncs/oa-subscription.writer';
import { writeWechatValues } from '../../storage/attributes/wechat-attribute.writer';
import { userInfoValues } from '../oa/user-attributes';
import type { RefreshJob } from '../../storage/syncs/refresh-queue.repository';

export const OA_REFRESH_SOURCE = 'refresh.oa_user';

type OaRefreshDeps = RefreshDeps<OfficialAccountClient>;

/**
 * A subscribe callback carries only the openid (wechat-api.md §9): read user/info for the unionid (OA bound to
 * an open platform), scene, remark and language, link the identities, and refresh the subscription row. A user who
 * already unfollowed again (subscribe 0) or an openid WeChat no longer knows (SUBJECT_GONE) leaves nothing to do.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/Get_users_basic_information_UnionID.html#UinonId
 */
export async function refreshOaUser(deps: OaRefreshDeps, account: OfficialAccount, job: RefreshJob): Promise<void> {
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

/**
 * Several subscribers of one account (a claimed batch, at most 100): one user/info/batchget and one transaction
 * that reads their identities at once (IdentityCache) and writes their subscriptions and fields together.
 * batchget refuses the whole list for one openid that is no longer a follower (40003, wechat-api.md §2.3), so
 * when the call fails the jobs are read one by one, each with its own answer. Returns the jobs not handled
 * here (those to read alone).
 */
export async function refreshOaUsers(
  deps: OaRefreshDeps,
  account: OfficialAccount,
  jobs: readonly RefreshJob[],
): Promise<RefreshJob[]> {
  let infos: UserInfoWire[];
  try {
    infos = await deps.client.users.batchGetUserInfo(jobs.map((j) => j.subject));
  } catch {
    return [...jobs];
  }
  const byOpenid = new Map(infos.map((i) => [i.openid, i]));
  await retryingTransaction(deps.ds, async (em) => {
    const now = new Date(deps.now());
    const subscribed = jobs.map((j) => byOpenid.get(j.subject)).filter((i): i is UserInfoWire => i?.subscribe === 1);
    const cache = new IdentityCache();
    await deps.identity.prefetch(
      em,
      subscribed.flatMap((info) => refsOf(account, info)),
      cache,
    );
    const users: { info: UserInfoWire; customerId: string }[] = [];
    for (const info of subscribed) {
      const r = await deps.identity.resolve(
        em,
        { identities: refsOf(account, info), source: OA_REFRESH_SOURCE },
        cache,
      );
      if (r.customerId) users.push({ info, customerId: r.customerId });
    }
    await upsertSubscriptions(em, account.appId, users, null, now);
    await writeWechatValues(
      em,
      users.flatMap((u) => userInfoValues(u.customerId, u.info)),
      now,
    );
    await deps.queue.completeAll(em, jobs, now);
  });
  return [];
}
