import type { OffsetSpan } from '../offset-span';
import { dialectFor } from '../dialect';
import { type Db, fromDbTime, idString, select } from '../sql';

export interface GroupFilter {
  corpId?: string;
  ownerUserid?: string;
  /** Name prefix. */
  namePrefix?: string;
  /** Keyset cursor: rows with a smaller id (newest first). */
  beforeId?: string;
}

export interface GroupSummary {
  id: string;
  corpId: string;
  chatId: string;
  name: string | null;
  owner: { userid: string | null; name: string | null };
  memberCount: number;
  externalCount: number;
  status: 'active' | 'dismissed';
  /** When WeCom created the group, else when Siyu first stored it. */
  createdAt: Date;
}

export interface GroupMemberView {
  type: 'staff' | 'external';
  userid: string;
  customerId: string | null;
  name: string | null;
  joinedAt: Date | null;
  joinScene: number | null;
  leftAt: Date | null;
}

const escapeLike = (s: string): string => s.replace(/[!%_]/g, (x) => `!${x}`);

const SUMMARY = `SELECT g.id, g.corp_id, g.chat_id, g.name, g.owner_userid, s.name AS owner_name, g.member_count, g.status,
    g.created_time, g.created_at,
    (SELECT COUNT(*) FROM wecom_group_members m WHERE m.corp_id = g.corp_id AND m.chat_id = g.chat_id AND m.member_type = 2 AND m.left_at IS NULL) AS external_count
  FROM wecom_groups g LEFT JOIN wecom_staff s ON s.corp_id = g.corp_id AND s.userid = g.owner_userid`;

function summary(r: Record<string, unknown>): GroupSummary {
  return {
    id: idString(r.id),
    corpId: String(r.corp_id),
    chatId: String(r.chat_id),
    name: r.name === null || r.name === undefined ? null : String(r.name),
    owner: {
      userid: r.owner_userid === null || r.owner_userid === undefined ? null : String(r.owner_userid),
      name: r.owner_name === null || r.owner_name === undefined ? null : String(r.owner_name),
    },
    memberCount: Number(r.member_count ?? 0),
    externalCount: Number(r.external_count ?? 0),
    status: r.status === 'dismissed' ? 'dismissed' : 'active',
    createdAt: fromDbTime(r.created_time) ?? fromDbTime(r.created_at)!,
  };
}

/** A page of groups, newest stored first, the owner's name from the staff directory (DESIGN §10.1, §13). */
export async function pageGroups(db: Db, f: GroupFilter, limit: number): Promise<GroupSummary[]> {
  const conditions: [string, unknown][] = [];
  if (f.corpId !== undefined) conditions.push(['g.corp_id = ?', f.corpId]);
  if (f.ownerUserid !== undefined) conditions.push(['g.owner_userid = ?', f.ownerUserid]);
  if (f.namePrefix !== undefined) conditions.push(["g.name LIKE ? ESCAPE '!'", `${escapeLike(f.namePrefix)}%`]);
  if (f.beforeId !== undefined) conditions.push(['g.id < ?', f.beforeId]);
  const where = conditions.map(([sql]) => sql);
  const params = conditions.map(([, v]) => v);
  const rows = await select(
    db,
    `${SUMMARY}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY g.id DESC LIMIT ${Math.trunc(limit)}`,
    params,
  );
  return rows.map(summary);
}

export async function groupById(db: Db, id: string): Promise<GroupSummary | undefined> {
  const [r] = await select(db, `${SUMMARY} WHERE g.id = ?`, [id]);
  return r ? summary(r) : undefined;
}

/**
 * Every member of a group, current and left, in join order: staff named from the directory (else as WeCom named
 * them in the group), external members with the customer holding their external_userid.
 */
export async function groupMemberViews(db: Db, corpId: string, chatId: string): Promise<GroupMemberView[]> {
  const rows = await select(
    db,
    `SELECT m.userid, m.member_type, COALESCE(s.name, m.name) AS name, m.join_time, m.join_scene, m.left_at, i.customer_id
      FROM wecom_group_members m
      LEFT JOIN wecom_staff s ON m.member_type = 1 AND s.corp_id = m.corp_id AND s.userid = m.userid
      LEFT JOIN identities i ON m.member_type = 2 AND i.type = 'wecom_external_userid' AND i.scope = m.corp_id AND i.value = m.userid
      WHERE m.corp_id = ? AND m.chat_id = ? ORDER BY m.join_time, m.id`,
    [corpId, chatId],
  );
  return rows.map((r) => ({
    type: Number(r.member_type) === 1 ? 'staff' : 'external',
    userid: String(r.userid),
    customerId: r.customer_id === null || r.customer_id === undefined ? null : String(r.customer_id),
    name: r.name === null || r.name === undefined ? null : String(r.name),
    joinedAt: fromDbTime(r.join_time),
    joinScene: r.join_scene === null || r.join_scene === undefined ? null : Number(r.join_scene),
    leftAt: fromDbTime(r.left_at),
  }));
}
/**
 * The customer's groups as one part of the profile statement (customers/profile-query.ts; DESIGN §10.1, §13):
 * the groups WeCom still has in which one of the customer's external_userids is a member now. It reaches the
 * members through the customer's identities and the (corp_id, userid) member index, then the group by its
 * unique key, so the profile stays one indexed statement. `{c}` is where the customer id goes.
 */
export const CUSTOMER_GROUPS_PART = {
  columns: {
    id: 'g.id',
    corp_id: 'g.corp_id',
    chat_id: 'g.chat_id',
    name: 'g.name',
    joined_at: 'm.join_time',
  },
  from: `FROM identities i
    JOIN wecom_group_members m ON m.corp_id = i.scope AND m.userid = i.value AND m.member_type = 2 AND m.left_at IS NULL
    JOIN wecom_groups g ON g.corp_id = m.corp_id AND g.chat_id = m.chat_id AND g.status = 'active'
    WHERE i.customer_id = {c} AND i.type = 'wecom_external_userid'`,
} as const;

/** Members of one group who joined or left on one local day. */
export interface GroupDayCount {
  date: string;
  kind: 'joined' | 'left';
  n: number;
}

/**
 * Joins (join_time) and leaves (left_at) of one group's members, staff and external, per local day, counted in
 * SQL through the group's (corp_id, chat_id, …) key; the local day is the UTC time shifted by the zone's offset,
 * per span of constant offset (overview/local-days.ts). Days without either are absent.
 */
export async function groupActivity(
  db: Db,
  corpId: string,
  chatId: string,
  spans: readonly OffsetSpan[],
): Promise<GroupDayCount[]> {
  const dialect = dialectFor(db);
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const span of spans) {
    for (const [kind, column] of [
      ['joined', 'join_time'],
      ['left', 'left_at'],
    ] as const) {
      parts.push(
        `SELECT '${kind}' AS kind, ${dialect.localDate(column, span.offsetMinutes)} AS d FROM wecom_group_members
          WHERE corp_id = ? AND chat_id = ? AND ${column} >= ? AND ${column} < ?`,
      );
      params.push(corpId, chatId, new Date(span.from), new Date(span.to));
    }
  }
  const rows = await select(
    db,
    `SELECT d, kind, COUNT(*) AS n FROM (${parts.join('\nUNION ALL ')}) p GROUP BY d, kind`,
    params,
  );
  return rows.map((r) => ({ date: String(r.d), kind: r.kind === 'left' ? 'left' : 'joined', n: Number(r.n) }));
}
