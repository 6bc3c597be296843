import { isWechatApiError } from '../../../connectors/common/http/wechat-api-error';
import type { WecomClient } from '../../../connectors/wecom/client';
import type { ExternalContactDetail, FollowInfoWire, FollowUserWire } from '../../../connectors/wecom/client-types';
import type { WecomAccount } from '../../../config';
import type { RefreshDeps } from './refresh-deps';
import { IdentityCache } from '../../identity/identity-cache';
import { retryingTransaction } from '../../storage/conflict-retry';
import { contactObservation } from '../wecom/contact-refs';
import { markOtherFollowsDeleted, upsertFollows } from '../../storage/syncs/wecom-follow.writer';
import type { RefreshJob } from '../../storage/syncs/refresh-queue.repository';
import { relationReadHooks } from './relation-read-hooks';
import { recordSyncLosses } from '../../storage/channels/customer-channel.repository';
import { writeWechatValues } from '../../storage/attributes/wechat-attribute.writer';
import { contactValues } from '../wecom/contact-attributes';

export const WECOM_REFRESH_SOURCE = 'refresh.wecom_contact';

type ContactRefreshDeps = RefreshDeps<WecomClient>;

/** One contact's externalcontact/get: its detail, none (no relation left), or the error to retry it by. */
interface ContactRead {
  job: RefreshJob;
  readAt: Date;
  detail?: ExternalContactDetail;
  error?: unknown;
}

async function readContact(deps: ContactRefreshDeps, job: RefreshJob): Promise<ContactRead> {
  const readAt = new Date(deps.now());
  try {
    return { job, readAt, detail: await deps.client.contacts.getExternalContact(job.subject) };
  } catch (err) {
    // No relation left, or not an external_userid of this corp: either way WeCom holds nothing for it.
    if (isWechatApiError(err) && err.category === 'RELATION_GONE') return { job, readAt };
    return { job, readAt, error: err };
  }
}

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
  deps: ContactRefreshDeps,
  account: WecomAccount,
  job: RefreshJob,
): Promise<void> {
  const read = await readContact(deps, job);
  if (read.error !== undefined) throw read.error;
  await storeContactReads(deps, account, [read]);
}

/**
 * Several contacts of one corp (a claimed batch): read at once, then stored in one transaction whose identity
 * reads are shared (IdentityCache) and whose relations and fields are written together. Returns the reads that
 * failed, each with its error, for the caller's retry rules.
 */
export async function refreshWecomContacts(
  deps: ContactRefreshDeps,
  account: WecomAccount,
  jobs: readonly RefreshJob[],
): Promise<{ job: RefreshJob; error: unknown }[]> {
  const reads = await Promise.all(jobs.map((job) => readContact(deps, job)));
  const failed = reads.filter((r) => r.error !== undefined).map((r) => ({ job: r.job, error: r.error }));
  const ok = reads.filter((r) => r.error === undefined);
  if (ok.length > 0) await storeContactReads(deps, account, ok);
  return failed;
}

/**
 * Stores what WeCom said of each contact: the customer (unionid where given, name, avatar) through identity
 * resolution, each relation with its remark and corp tags, and relations WeCom no longer lists as deleted.
 */
async function storeContactReads(
  deps: ContactRefreshDeps,
  account: WecomAccount,
  reads: readonly ContactRead[],
): Promise<void> {
  await retryingTransaction(deps.ds, async (em) => {
    const now = new Date(deps.now());
    const cache = new IdentityCache();
    const observations = reads.map((r) => (r.detail ? contactObservation(account, r.detail.external_contact) : null));
    await deps.identity.prefetch(
      em,
      observations.flatMap((o) => o?.identities ?? []),
      cache,
    );
    const customers: (string | null)[] = [];
    const follows: Parameters<typeof upsertFollows>[2][number][] = [];
    const values: Parameters<typeof writeWechatValues>[1][number][] = [];
    for (const [i, r] of reads.entries()) {
      const obs = observations[i];
      let customerId: string | null = null;
      if (r.detail && obs) {
        const observation = {
          identities: obs.identities,
          source: WECOM_REFRESH_SOURCE,
          ...(obs.profile ? { profile: obs.profile } : {}),
        };
        customerId = (await deps.identity.resolve(em, observation, cache)).customerId;
        if (customerId) {
          for (const f of r.detail.follow_user)
            follows.push({ externalUserid: r.job.subject, customerId, follow: followInfoOf(f) });
          values.push(...contactValues(customerId, r.detail.external_contact));
        }
      }
      customers.push(customerId);
    }
    await upsertFollows(em, account.corpId, follows, now);
    await writeWechatValues(em, values, now);
    for (const r of reads) {
      // A relation the re-read no longer finds ended without its callback reaching us: a loss, as a full sync
      // counts it.
      const gone = await markOtherFollowsDeleted(em, account.corpId, r.job.subject, r.readAt, now);
      await recordSyncLosses(em, gone, now);
    }
    const relationReads = reads.map((r, i) => ({
      corpId: account.corpId,
      externalUserid: r.job.subject,
      customerId: customers[i]!,
      follows: r.detail?.follow_user ?? [],
      readAt: r.readAt,
    }));
    for (const hook of relationReadHooks) await hook.apply(em, relationReads);
    await deps.queue.completeAll(
      em,
      reads.map((r) => r.job),
      now,
    );
  });
}
