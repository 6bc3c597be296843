import { type Db, execute, fromDbTime, idString, isDuplicateKeyError, select } from '../storage/sql';
import { forUpdate } from '../identity/identity.repository';

export interface FollowChange {
  corpId: string;
  staffUserId: string;
  externalUserId: string;
  customerId: string | null;
  occurredAt: Date;
  change: 'added' | 'edited' | 'removed';
  state?: string;
}

/**
 * `wecom_follows` from change_external_contact callbacks (wechat-api.md §5.9): an add (re)activates the
 * relation, a removal by either side sets the deleted flag (the row stays: history and staff attribution), an
 * edit only touches it. A removal older than the current add, or an add older than the current removal, is
 * ignored so out-of-order processing cannot resurrect or delete a relation by mistake.
 */
export async function applyFollow(db: Db, f: FollowChange, now: Date): Promise<void> {
  const rows = await select<{ id: unknown; created_time: unknown; deleted_at: unknown; deleted: unknown }>(
    db,
    `SELECT id, created_time, deleted_at, deleted FROM wecom_follows WHERE corp_id = ? AND staff_userid = ? AND external_userid = ?${forUpdate(db)}`,
    [f.corpId, f.staffUserId, f.externalUserId],
  );
  const row = rows[0];
  const removed = f.change === 'removed';
  if (!row) {
    try {
      await execute(
        db,
        `INSERT INTO wecom_follows (corp_id, staff_userid, external_userid, customer_id, state, created_time, deleted, deleted_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [f.corpId, f.staffUserId, f.externalUserId, f.customerId, f.state ?? null, f.change === 'added' ? f.occurredAt : null, removed, removed ? f.occurredAt : null, now, now],
      );
      return;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return applyFollow(db, f, now);
    }
  }
  const id = idString(row.id);
  const addedAt = fromDbTime(row.created_time)?.getTime() ?? 0;
  const deletedAt = fromDbTime(row.deleted_at)?.getTime() ?? 0;
  const at = f.occurredAt.getTime();
  if (f.change === 'added') {
    if (at < deletedAt) return;
    await execute(
      db,
      'UPDATE wecom_follows SET deleted = 0, deleted_at = NULL, created_time = ?, state = COALESCE(?, state), customer_id = COALESCE(?, customer_id), updated_at = ? WHERE id = ?',
      [f.occurredAt, f.state ?? null, f.customerId, now, id],
    );
  } else if (removed) {
    if (at < addedAt) return;
    await execute(db, 'UPDATE wecom_follows SET deleted = 1, deleted_at = ?, customer_id = COALESCE(?, customer_id), updated_at = ? WHERE id = ?', [
      f.occurredAt,
      f.customerId,
      now,
      id,
    ]);
  } else {
    await execute(db, 'UPDATE wecom_follows SET customer_id = COALESCE(?, customer_id), updated_at = ? WHERE id = ?', [f.customerId, now, id]);
  }
}
