import {
  type FollowTimes,
  followKey,
  insertFollow,
  lockFollow,
  markFollowAdded,
  markFollowRemoved,
  touchFollow,
} from '../storage/events/wecom-follow.repository';
import type { Db } from '../storage/sql';

export interface FollowChange {
  corpId: string;
  staffUserId: string;
  externalUserId: string;
  customerId: string | null;
  occurredAt: Date;
  change: 'added' | 'edited' | 'removed';
  state?: string;
  /** A removal WeChat made because a transfer moved the relation (`DELETE_BY_TRANSFER`): not a loss. */
  transferred?: boolean;
}

/**
 * `wecom_follows` from change_external_contact callbacks (wechat-api.md §5.9): an add (re)activates the
 * relation, a removal by either side sets the deleted flag (the row stays: history and staff attribution), an
 * edit only touches it. A removal older than the current add, or an add older than the current removal, is
 * ignored so out-of-order processing cannot resurrect or delete a relation by mistake. `locked`: rows the
 * transaction already read with their locks (an inbox batch's, by followKey), kept up to date here.
 */
export async function applyFollow(
  db: Db,
  f: FollowChange,
  now: Date,
  locked?: Map<string, FollowTimes | null>,
): Promise<void> {
  const key = { corpId: f.corpId, staffUserid: f.staffUserId, externalUserid: f.externalUserId };
  const k = followKey(key);
  const row = locked?.has(k) ? (locked.get(k) ?? undefined) : await lockFollow(db, key);
  const removed = f.change === 'removed';
  if (!row) {
    // The new row's id is not known here: a later change in the transaction reads it.
    locked?.delete(k);
    const created = await insertFollow(
      db,
      {
        ...key,
        customerId: f.customerId,
        state: f.state ?? null,
        createdTime: f.change === 'added' ? f.occurredAt : null,
        deleted: removed,
        deletedAt: removed ? f.occurredAt : null,
        endReason: removed && f.transferred ? 'transferred' : null,
      },
      now,
    );
    return created ? undefined : applyFollow(db, f, now);
  }
  const addedAt = row.createdTime?.getTime() ?? 0;
  const deletedAt = row.deletedAt?.getTime() ?? 0;
  const at = f.occurredAt.getTime();
  if (f.change === 'added') {
    if (at < deletedAt) return;
    await markFollowAdded(db, row.id, f.occurredAt, f.state ?? null, f.customerId, now);
    locked?.set(k, { id: row.id, createdTime: f.occurredAt, deletedAt: null });
  } else if (removed) {
    if (at < addedAt) return;
    await markFollowRemoved(db, row.id, f.occurredAt, f.customerId, now, f.transferred ? 'transferred' : null);
    locked?.set(k, { ...row, deletedAt: f.occurredAt });
  } else {
    await touchFollow(db, row.id, f.customerId, now);
  }
}
