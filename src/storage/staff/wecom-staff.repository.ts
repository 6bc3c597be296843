import type { WecomStaffRow } from '../entities/wecom-staff.entity';
import { type Db, execute, fromDbTime, fromJsonText, select, upsert } from '../sql';

export type StaffDepartment = NonNullable<WecomStaffRow['departments']>[number];

/** What a write knows of a member; absent fields keep what the row already has. */
export type MemberWrite = Pick<WecomStaffRow, 'userid'> &
  Partial<Pick<WecomStaffRow, 'name' | 'position' | 'status'>> & { departments?: StaffDepartment[] };

export interface StaffMember extends Pick<WecomStaffRow, 'corpId' | 'userid' | 'name' | 'position' | 'status'> {
  departments: StaffDepartment[];
  /** Live follow relations (`wecom_follows` not deleted). */
  customerCount: number;
  updatedAt: string | null;
}

const FIELDS = ['name', 'departments', 'position', 'status'] as const;

/**
 * Upserts members of one corp. Rows are grouped by which fields they carry, so a callback that names only the
 * departments never blanks a name read earlier. `seenAt` stamps the rows a staff sync read.
 */
export async function saveMembers(
  db: Db,
  corpId: string,
  members: readonly MemberWrite[],
  now: Date,
  seenAt?: Date,
): Promise<void> {
  const groups = new Map<string, MemberWrite[]>();
  for (const m of members) {
    const shape = FIELDS.filter((f) => m[f] !== undefined).join(',');
    groups.set(shape, [...(groups.get(shape) ?? []), m]);
  }
  for (const [shape, rows] of groups) {
    const fields = shape ? (shape.split(',') as (typeof FIELDS)[number][]) : [];
    const values = rows.map((m) => {
      const row: Record<string, unknown> = { corp_id: corpId, userid: m.userid.slice(0, 64) };
      for (const f of fields)
        row[f] =
          f === 'departments'
            ? JSON.stringify(m.departments)
            : f === 'name'
              ? (m.name?.slice(0, 64) ?? null)
              : f === 'position'
                ? (m.position?.slice(0, 128) ?? null)
                : m[f];
      if (seenAt) row.seen_at = seenAt;
      row.created_at = now;
      row.updated_at = now;
      return row;
    });
    await upsert(db, 'wecom_staff', values, {
      conflict: ['corp_id', 'userid'],
      update: [...fields, ...(seenAt ? ['seen_at'] : []), 'updated_at'],
    });
  }
}

/** update_user with NewUserID: the row follows the member to the new userid (a row already there wins). */
export async function renameMember(db: Db, corpId: string, from: string, to: string, now: Date): Promise<void> {
  const taken = await select(db, 'SELECT id FROM wecom_staff WHERE corp_id = ? AND userid = ?', [corpId, to]);
  if (taken.length > 0) await execute(db, 'DELETE FROM wecom_staff WHERE corp_id = ? AND userid = ?', [corpId, from]);
  else
    await execute(db, 'UPDATE wecom_staff SET userid = ?, updated_at = ? WHERE corp_id = ? AND userid = ?', [
      to,
      now,
      corpId,
      from,
    ]);
}

/** Members a complete directory read (since `since`) did not see have left the corp; returns how many. */
export async function markUnseenLeft(db: Db, corpId: string, since: Date, now: Date): Promise<number> {
  const r = await execute(
    db,
    "UPDATE wecom_staff SET status = 'left', updated_at = ? WHERE corp_id = ? AND status = 'active' AND (seen_at IS NULL OR seen_at < ?)",
    [now, corpId, since],
  );
  return r.affected;
}

/** Userids of one corp read by the current run (seen since `since`), after `after`, in order: the user/get walk. */
export async function seenUserids(
  db: Db,
  corpId: string,
  since: Date,
  after: string,
  limit: number,
): Promise<string[]> {
  const rows = await select<{ userid: string }>(
    db,
    `SELECT userid FROM wecom_staff WHERE corp_id = ? AND seen_at >= ? AND userid > ? ORDER BY userid LIMIT ${Math.trunc(limit)}`,
    [corpId, since, after],
  );
  return rows.map((r) => String(r.userid));
}

/**
 * The stored departments of some members; with `seenSince`, only of rows read since then (list_id pages add to
 * what earlier pages of the same run found).
 */
export async function departmentsOf(
  db: Db,
  corpId: string,
  userids: readonly string[],
  seenSince?: Date,
): Promise<Map<string, StaffDepartment[]>> {
  const out = new Map<string, StaffDepartment[]>();
  if (userids.length === 0) return out;
  const seen = seenSince ? ' AND seen_at >= ?' : '';
  const rows = await select(
    db,
    `SELECT userid, departments FROM wecom_staff WHERE corp_id = ?${seen} AND userid IN (${userids.map(() => '?').join(', ')})`,
    [corpId, ...(seenSince ? [seenSince] : []), ...userids],
  );
  for (const r of rows) out.set(String(r.userid), fromJsonText<StaffDepartment[]>(r.departments) ?? []);
  return out;
}

/** The directory of one corp (or every corp) with each member's live customer count, by userid. */
export async function listMembers(db: Db, corpId: string | undefined): Promise<StaffMember[]> {
  const rows = await select(
    db,
    `SELECT s.corp_id, s.userid, s.name, s.departments, s.position, s.status, s.updated_at,
      (SELECT COUNT(*) FROM wecom_follows f WHERE f.corp_id = s.corp_id AND f.staff_userid = s.userid AND f.deleted = 0) AS customer_count
      FROM wecom_staff s${corpId === undefined ? '' : ' WHERE s.corp_id = ?'} ORDER BY s.corp_id, s.userid`,
    corpId === undefined ? [] : [corpId],
  );
  return rows.map((r) => ({
    corpId: String(r.corp_id),
    userid: String(r.userid),
    name: r.name === null || r.name === undefined ? null : String(r.name),
    departments: fromJsonText<StaffDepartment[]>(r.departments) ?? [],
    position: r.position === null || r.position === undefined ? null : String(r.position),
    status: r.status === 'left' ? 'left' : 'active',
    customerCount: Number(r.customer_count ?? 0),
    updatedAt: fromDbTime(r.updated_at)?.toISOString() ?? null,
  }));
}

/** Known names of some userids in any corp (audit actors `wecom:<userid>` carry no corp); first corp wins. */
export async function namesOfUserids(db: Db, userids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(userids)];
  if (unique.length === 0) return out;
  const rows = await select(
    db,
    `SELECT userid, name FROM wecom_staff WHERE name IS NOT NULL AND userid IN (${unique.map(() => '?').join(', ')}) ORDER BY corp_id`,
    unique,
  );
  for (const r of rows) if (!out.has(String(r.userid))) out.set(String(r.userid), String(r.name));
  return out;
}

/** How many members of a corp the current run has read (the sync's total). */
export async function countSeen(db: Db, corpId: string, since: Date): Promise<number> {
  const [r] = await select(db, 'SELECT COUNT(*) AS n FROM wecom_staff WHERE corp_id = ? AND seen_at >= ?', [
    corpId,
    since,
  ]);
  return Number(r?.n ?? 0);
}

/** A member WeCom no longer knows is `left` — only if the directory has a row for them (never a new row). */
export async function markLeft(db: Db, corpId: string, userid: string, now: Date): Promise<void> {
  await execute(
    db,
    "UPDATE wecom_staff SET status = 'left', updated_at = ? WHERE corp_id = ? AND userid = ? AND status = 'active'",
    [now, corpId, userid],
  );
}

/** One member's name in one corp, or null when unknown. */
export async function memberName(db: Db, corpId: string, userid: string): Promise<string | null> {
  const [r] = await select(db, 'SELECT name FROM wecom_staff WHERE corp_id = ? AND userid = ?', [corpId, userid]);
  return r?.name === null || r?.name === undefined ? null : String(r.name);
}
