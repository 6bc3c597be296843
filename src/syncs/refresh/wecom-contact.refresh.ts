import type { DataSource } from '../../storage';
import { isWechatApiError } from '../../../connectors/common/http/wechat-api-error';
import type { WecomClient } from '../../../connectors/wecom/client';
import type { ExternalContactDetail, FollowInfoWire, FollowUserWire } from '../../../connectors/wecom/client-types';
import type { WecomAccount } from '../../../config';
import type { IdentityService } from '../../identity/identity.service';
import { retryingTransaction } from '../../storage/conflict-retry';
import { contactObservation } from '../wecom/contact-refs';
import { markOtherFollowsDeleted, upsertFollows } from '../../storage/syncs/wecom-follow.writer';
import type { RefreshJob, RefreshQueueRepository } from '../../storage/syncs/refresh-queue.repository';
import { relationReadHooks } from './relation-read-hooks';
import { recordSyncLosses } from '../../storage/channels/customer-channel.repository';
import { writeWechatValues } from '../../storage/attributes/wechat-attribute.writer';
import { contactValues } from '../wecom/contact-attributes';

export const WECOM_REFRESH_SOURCE = 'refresh.wecom_contact';

/** follow_user tags carry names; the row keeps corp tag ids only (personal tags, type 2, have none). */
export function followInfoOf(f: FollowUserWire): FollowInfoWire {
  const { tags, ...rest } = f;
  return { ...rest, tag_id: (tags ?? []).filter((t) => t.tag_id && t.type !== 2).map((t) => t.tag_id!) };
}

/**
 * A WeCom add/edit callback is only a hint: re-read the customer with externalcontact/get
 * (every follow relation, paged past 500) and store what WeCom says now — the customer (unionid where given,
 * name, avatar) through identity resolution, each relation with its remark and corp tags, and relations WeCom
 * no longer lists as deleted.
 * https://developer.work.weixin.qq.com/document/path/92114
 */
export async function refreshWecomContact(
  deps: {
    ds: DataSource;
    client: WecomClient;
    identity: IdentityService;
    queue: RefreshQueueRepository;
    now: () => number;
  },
  account: WecomAccount,
  job: RefreshJob,
): Promise<void> {
  const readAt = new Date(deps.now());
  let detail: ExternalContactDetail | undefined;
  try {
    detail = await deps.client.contacts.getExternalContact(job.subject);
  } catch (err) {
    // No relation left, or not an external_userid of this corp: either way WeCom holds nothing for it.
    if (!(isWechatApiError(err) && err.category === 'RELATION_GONE')) throw err;
  }
  await retryingTransaction(deps.ds, async (em) => {
    const now = new Date(deps.now());
    let customerId: string | null = null;
    if (detail) {
      const obs = contactObservation(account, detail.external_contact);
      const r = await deps.identity.resolve(em, {
        identities: obs.identities,
        source: WECOM_REFRESH_SOURCE,
        ...(obs.profile ? { profile: obs.profile } : {}),
      });
      customerId = r.customerId;
      if (customerId) {
        const follows = detail.follow_user.map((f) => ({
          externalUserid: job.subject,
          customerId: customerId!,
          follow: followInfoOf(f),
        }));
        await upsertFollows(em, account.corpId, follows, now);
        await writeWechatValues(em, contactValues(customerId, detail.external_contact), now);
      }
    }
    // A relation the re-read no longer finds ended without its callback reaching us: a loss, as a full sync counts it.
    const gone = await markOtherFollowsDeleted(em, account.corpId, job.subject, readAt, now);
    await recordSyncLosses(em, gone, now);
    for (const hook of relationReadHooks) {
      await hook.apply(em, {
        corpId: account.corpId,
        externalUserid: job.subject,
        customerId,
        follows: detail?.follow_user ?? [],
        readAt,
      });
    }
    await deps.queue.complete(em, job, now);
  });
}
