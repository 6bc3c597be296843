import { noWaitingTransfer } from '../transfers/transfer.repository';
import { type GoneRelation, goneRelations } from '../channels/customer-channel.repository';
import { type Db, execute, select, upsert } from '../sql';

const unix = (s: number | undefined): Date | null => (typeof s === 'number' && s > 0 ? new Date(s * 1000) : null);
const orNull = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

/**
 * What a `wecom_follows` row keeps of a relation as batch/get_by_user's `follow_info` reports it (wechat-api.md
 * §5.4; the WeCom connector's FollowInfoWire is one).
 */
export interface FollowInfo {
  userid: string;
  remark?: string;
  description?: string;
  createtime?: number;
  oper_userid?: string;
  add_way?: number;
  state?: string;
  /** Corp tag ids on the relation. */
  tag_id?: string[];
}

export interface FollowObservation {
  externalUserid: string;
  customerId: string;
  follow: FollowInfo;
}

/**
 * `wecom_follows` rows from batch/get_by_user `follow_info` (wechat-api.md §5.4) in one multi-row upsert: the
 * relation exists (deleted cleared), with its remark, add_way, state and the corp tag ids on it as WeChat
 * reports them now.
 */
export async function upsertFollows(
  db: Db,
  corpId: string,
  follows: readonly FollowObservation[],
  now: Date,
): Promise<void> {
  const rows = follows.map(({ externalUserid, customerId, follow: f }) => ({
    corp_id: corpId,
    staff_userid: f.userid,
    external_userid: externalUserid,
    customer_id: customerId,
    remark: orNull(f.remark)?.slice(0, 255) ?? null,
    description: orNull(f.description)?.slice(0, 512) ?? null,
    add_way: typeof f.add_way === 'number' ? f.add_way : null,
    state: orNull(f.state)?.slice(0, 64) ?? null,
    oper_userid: orNull(f.oper_userid)?.slice(0, 64) ?? null,
    created_time: unix(f.createtime),
    deleted: false,
    deleted_at: null,
    tags: JSON.stringify(f.tag_id ?? []),
    created_at: now,
    updated_at: now,
  }));
  await upsert(db, 'wecom_follows', rows, {
    conflict: ['corp_id', 'staff_userid', 'external_userid'],
    update: [
      'customer_id',
      'remark',
      'description',
      'add_way',
      'state',
      'oper_userid',
      'created_time',
      'deleted',
      'deleted_at',
      'tags',
      'updated_at',
    ],
  });
}

/**
 * End of a full contacts run: relations of this corp the run did not see and nobody touched since it started
 * no longer exist (a del_external_contact callback may have been missed) — except those a transfer is moving
 * and those of members who left, which wait for a handover (DESIGN §10.3).
 */
export async function markUnseenFollowsDeleted(
  db: Db,
  corpId: string,
  startedAt: Date,
  now: Date,
): Promise<{ marked: number; gone: GoneRelation[] }> {
  const { affected } = await execute(
    db,
    `UPDATE wecom_follows SET deleted = 1, deleted_at = ?, updated_at = ? WHERE corp_id = ? AND deleted = 0 AND updated_at < ?
      AND ${noWaitingTransfer('wecom_follows')}
      AND staff_userid NOT IN (SELECT s.userid FROM wecom_staff s WHERE s.corp_id = ? AND s.status = 'left')`,
    [now, now, corpId, startedAt, corpId],
  );
  if (affected === 0) return { marked: 0, gone: [] };
  return { marked: affected, gone: await markedGone(db, corpId, now) };
}

/**
 * The relations a mark statement of this corp just deleted at `now`, as losses (run it in the statement's
 * transaction): a callback's delete since has another time. `externalUserid` narrows it to one contact.
 */
async function markedGone(db: Db, corpId: string, now: Date, externalUserid?: string): Promise<GoneRelation[]> {
  const rows = await select(
    db,
    `SELECT id, customer_id FROM wecom_follows WHERE corp_id = ?${externalUserid === undefined ? '' : ' AND external_userid = ?'}
      AND deleted = 1 AND deleted_at = ? AND updated_at = ? AND customer_id IS NOT NULL`,
    [corpId, ...(externalUserid === undefined ? [] : [externalUserid]), now, now],
  );
  return goneRelations('wecom_follows', rows, now);
}

/**
 * After a re-read of one external contact: its relations WeCom no longer lists, and nobody touched since the read
 * began, no longer exist. Returns them as losses, as a full sync's end does (a missed callback's loss).
 */
export async function markOtherFollowsDeleted(
  db: Db,
  corpId: string,
  externalUserid: string,
  readAt: Date,
  now: Date,
): Promise<GoneRelation[]> {
  const { affected } = await execute(
    db,
    `UPDATE wecom_follows SET deleted = 1, deleted_at = ?, updated_at = ? WHERE corp_id = ? AND external_userid = ? AND deleted = 0 AND updated_at < ?
      AND ${noWaitingTransfer('wecom_follows')}`,
    [now, now, corpId, externalUserid, readAt],
  );
  return affected === 0 ? [] : markedGone(db, corpId, now, externalUserid);
}
