import type { WecomFollowRow } from '../entities/wecom-follow.entity';
import { dialectFor } from '../dialect';
import { type Db, execute, executeUnlessDuplicate, fromDbTime, idString, select } from '../sql';
import { lockRowsByKeys } from '../locked-rows';

export type FollowKey = Pick<WecomFollowRow, 'corpId' | 'staffUserid' | 'externalUserid'>;
export type FollowTimes = Pick<WecomFollowRow, 'id' | 'createdTime' | 'deletedAt'>;

/** The relation's row, locked for the rest of the transaction on MySQL. */
export async function lockFollow(db: Db, k: FollowKey): Promise<FollowTimes | undefined> {
  const [row] = await select<{ id: unknown; created_time: unknown; deleted_at: unknown }>(
    db,
    `SELECT id, created_time, deleted_at FROM wecom_follows WHERE corp_id = ? AND staff_userid = ? AND external_userid = ?${dialectFor(db).forUpdate}`,
    [k.corpId, k.staffUserid, k.externalUserid],
  );
  return (
    row && { id: idString(row.id), createdTime: fromDbTime(row.created_time), deletedAt: fromDbTime(row.deleted_at) }
  );
}

/** `corpId|staffUserid|externalUserid`: one relation, as a map key. */
export function followKey(k: FollowKey): string {
  return `${k.corpId}\u0000${k.staffUserid}\u0000${k.externalUserid}`;
}

/** lockFollow for many at once (an inbox batch): followKey → the row, or null where there is none. */
export async function lockFollows(db: Db, keys: readonly FollowKey[]): Promise<Map<string, FollowTimes | null>> {
  const out = new Map<string, FollowTimes | null>(keys.map((k) => [followKey(k), null]));
  const rows = await lockRowsByKeys<{
    id: unknown;
    corp_id: string;
    staff_userid: string;
    external_userid: string;
    created_time: unknown;
    deleted_at: unknown;
  }>(
    db,
    'wecom_follows',
    'id, corp_id, staff_userid, external_userid, created_time, deleted_at',
    ['corp_id', 'staff_userid', 'external_userid'],
    keys.map((k) => [k.corpId, k.staffUserid, k.externalUserid]),
  );
  for (const r of rows) {
    const key = {
      corpId: String(r.corp_id),
      staffUserid: String(r.staff_userid),
      externalUserid: String(r.external_userid),
    };
    out.set(followKey(key), {
      id: idString(r.id),
      createdTime: fromDbTime(r.created_time),
      deletedAt: fromDbTime(r.deleted_at),
    });
  }
  return out;
}

export type NewFollow = FollowKey &
  Pick<WecomFollowRow, 'customerId' | 'state' | 'createdTime' | 'deleted' | 'deletedAt'> & {
    endReason?: string | null;
  };

/** Inserts the relation; false when another writer created it meanwhile (the unique key says so). */
export async function insertFollow(db: Db, f: NewFollow, now: Date): Promise<boolean> {
  const inserted = await executeUnlessDuplicate(
    db,
    `INSERT INTO wecom_follows (corp_id, staff_userid, external_userid, customer_id, state, created_time, deleted, deleted_at, end_reason, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      f.corpId,
      f.staffUserid,
      f.externalUserid,
      f.customerId,
      f.state,
      f.createdTime,
      f.deleted,
      f.deletedAt,
      f.endReason ?? null,
      now,
      now,
    ],
  );
  return inserted !== undefined;
}

/** (Re)activates the relation as added at `addedAt`; a null state or customer keeps the stored one. */
export async function markFollowAdded(
  db: Db,
  id: string,
  addedAt: Date,
  state: string | null,
  customerId: string | null,
  now: Date,
): Promise<void> {
  await execute(
    db,
    'UPDATE wecom_follows SET deleted = 0, deleted_at = NULL, end_reason = NULL, created_time = ?, state = COALESCE(?, state), customer_id = COALESCE(?, customer_id), updated_at = ? WHERE id = ?',
    [addedAt, state, customerId, now, id],
  );
}

export async function markFollowRemoved(
  db: Db,
  id: string,
  removedAt: Date,
  customerId: string | null,
  now: Date,
  endReason: string | null = null,
): Promise<void> {
  await execute(
    db,
    'UPDATE wecom_follows SET deleted = 1, deleted_at = ?, end_reason = ?, customer_id = COALESCE(?, customer_id), updated_at = ? WHERE id = ?',
    [removedAt, endReason, customerId, now, id],
  );
}

export async function touchFollow(db: Db, id: string, customerId: string | null, now: Date): Promise<void> {
  await execute(db, 'UPDATE wecom_follows SET customer_id = COALESCE(?, customer_id), updated_at = ? WHERE id = ?', [
    customerId,
    now,
    id,
  ]);
}

/** The customer a relation's row points at, or null (no row, or not resolved yet). */
export async function customerOfFollow(db: Db, k: FollowKey): Promise<string | null> {
  const [row] = await select(
    db,
    'SELECT customer_id FROM wecom_follows WHERE corp_id = ? AND staff_userid = ? AND external_userid = ?',
    [k.corpId, k.staffUserid, k.externalUserid],
  );
  return row?.customer_id ? String(row.customer_id) : null;
}

/** Non-empty remarks on these customers' relations, in row order, with whether the relation was deleted. */
export async function followRemarksOf(
  db: Db,
  customerIds: readonly string[],
): Promise<{ customerId: string; remark: string; deleted: boolean }[]> {
  if (customerIds.length === 0) return [];
  const rows = await select<{ customer_id: string; remark: string; deleted: unknown }>(
    db,
    `SELECT customer_id, remark, deleted FROM wecom_follows WHERE customer_id IN (${customerIds.map(() => '?').join(', ')}) AND remark IS NOT NULL AND remark <> '' ORDER BY id`,
    [...customerIds],
  );
  return rows.map((r) => ({
    customerId: r.customer_id,
    remark: r.remark,
    deleted: Number(r.deleted) === 1 || r.deleted === true,
  }));
}
