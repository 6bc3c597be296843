import type { EntityManager } from '../../storage';
import type { RelationReadHook } from '../../syncs/refresh/relation-read-hooks';
import { queueJob } from '../../storage/tags/bulk-job.repository';
import { RelationObserver, type ObservedRelation } from './relation-observer';

const observer = new RelationObserver();

/**
 * Records the corp tags relations carry as WeChat just reported them (RelationObserver); a corp tag id the
 * catalog does not know yet means the library changed unseen, so a re-read of it is queued (coalesced), which
 * then turns these relations' tags into assignments (CorpTagLibrary).
 */
async function record(
  em: EntityManager,
  corpId: string,
  relations: readonly ObservedRelation[],
  readAt: Date,
): Promise<void> {
  const result = await observer.observe(em, corpId, relations, readAt);
  if (result.unknownTagIds.length > 0)
    await queueJob(em, 'tags.corp-library', { corpId }, 'wecom', readAt, { coalesce: true });
}

/**
 * The tags module's part of a WeCom relation re-read (src/syncs/refresh/relation-read-hooks.ts, run after an
 * add/edit_external_contact callback): the corp tags (type 1) each relation actually carries are recorded —
 * a staff member's tag becomes a `wechat` assignment, our own echo changes nothing.
 */
export const tagsRelationReadHook: RelationReadHook = {
  name: 'tags.relation-tags',
  async apply(em, reads) {
    const first = reads[0];
    if (!first) return;
    const relations = reads.flatMap((read) =>
      read.follows.map((f) => ({
        userid: f.userid,
        externalUserid: read.externalUserid,
        corpTagIds: (f.tags ?? []).filter((t) => t.type !== 2 && typeof t.tag_id === 'string').map((t) => t.tag_id!),
        // The re-read resolved the contact and stored its relations with that customer.
        ...(read.customerId ? { customerId: read.customerId } : {}),
      })),
    );
    // The earliest read time stands for all: a push recorded after it makes the read stale for that tag, so a
    // read is never taken as newer than it was.
    const readAt = new Date(Math.min(...reads.map((r) => r.readAt.getTime())));
    await record(em, first.corpId, relations, readAt);
  },
};

/**
 * The same for a page of the full contacts sync (batch/get_by_user `follow_info.tag_id`, corp tags only), whose
 * customers are already resolved. `readAt` is when the page was requested.
 */
export async function recordSyncedRelationTags(
  em: EntityManager,
  corpId: string,
  follows: readonly { externalUserid: string; customerId: string; follow: { userid: string; tag_id?: string[] } }[],
  readAt: Date,
): Promise<void> {
  const relations = follows.map((f) => ({
    userid: f.follow.userid,
    externalUserid: f.externalUserid,
    corpTagIds: f.follow.tag_id ?? [],
    customerId: f.customerId,
  }));
  await record(em, corpId, relations, readAt);
}
