import type { WecomGroupMemberRow } from '../entities';
import { writeRows } from '../driver/prepared-rows';
import {
  type Db,
  excluded,
  execute,
  fromDbTime,
  insertIgnore,
  type RowsStatement,
  select,
  toDbTime,
  upsert,
  upsertStatement,
} from '../sql';

/** What one groupchat/get says of a group. */
export interface GroupWrite {
  chatId: string;
  name: string | null;
  ownerUserid: string | null;
  notice: string | null;
  adminUserids: string[];
  /** groupchat/list status (0..3). */
  ownerStatus: number;
  memberVersion: string | null;
  createdTime: Date | null;
}

/** One current member as groupchat/get lists it. */
export type GroupMemberWrite = Pick<
  WecomGroupMemberRow,
  'userid' | 'memberType' | 'name' | 'groupNickname' | 'joinTime' | 'joinScene' | 'invitorUserid' | 'state'
>;

export type StoredGroupMember = Pick<WecomGroupMemberRow, 'userid' | 'memberType' | 'name' | 'joinScene' | 'leftAt'>;

/** A membership a read or a callback saw begin or end. */
export interface MembershipChange {
  userid: string;
  memberType: number;
  /** When it began (join_time, else the read) or ended (left_at). */
  at: Date;
  /** join_scene for a join, QuitScene (when a callback gave one) for a leave. */
  scene: number | null;
}

export interface GroupReadResult {
  /** Whether the group was stored before this read. */
  known: boolean;
  joined: MembershipChange[];
  left: MembershipChange[];
}

const cut = (v: string | null, n: number): string | null => (v === null ? null : v.slice(0, n));

/** One complete groupchat/get read: the group and every member it lists. */
export interface GroupReadWrite {
  group: GroupWrite;
  members: readonly GroupMemberWrite[];
}

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/**
 * Stores complete reads of some groups of a corp (DESIGN §10.1): each group row, every current member (a member
 * seen again after leaving is current again), and `left_at` for stored members a read no longer lists. Returns,
 * per read, who joined (a new row, or a member current again) and who left since the stored state. A few
 * statements for all the reads together (a full sync stores its groups a slice at a time); run inside the
 * caller's transaction so a group is never half written.
 */
export async function saveGroupReads(
  db: Db,
  corpId: string,
  reads: readonly GroupReadWrite[],
  now: Date,
): Promise<GroupReadResult[]> {
  if (reads.length === 0) return [];
  const chatIds = [...new Set(reads.map((r) => r.group.chatId))];
  const known = new Set(
    (
      await select<{ chat_id: string }>(
        db,
        `SELECT chat_id FROM wecom_groups WHERE corp_id = ? AND chat_id IN (${placeholders(chatIds.length)})`,
        [corpId, ...chatIds],
      )
    ).map((r) => String(r.chat_id)),
  );
  const before = new Map<string, { userid: string; memberType: number; current: boolean }[]>();
  for (const r of await select<{ chat_id: string; userid: string; member_type: unknown; left_at: unknown }>(
    db,
    `SELECT chat_id, userid, member_type, left_at FROM wecom_group_members WHERE corp_id = ? AND chat_id IN (${placeholders(chatIds.length)})`,
    [corpId, ...chatIds],
  )) {
    const list = before.get(String(r.chat_id)) ?? [];
    list.push({ userid: String(r.userid), memberType: Number(r.member_type), current: r.left_at === null });
    before.set(String(r.chat_id), list);
  }
  const results = reads.map(({ group, members }): GroupReadResult => {
    const stored = before.get(group.chatId) ?? [];
    const current = new Set(stored.filter((r) => r.current).map((r) => r.userid));
    const listed = new Set(members.map((m) => m.userid));
    return {
      known: known.has(group.chatId),
      joined: members
        .filter((m) => !current.has(m.userid))
        .map((m) => ({ userid: m.userid, memberType: m.memberType, at: m.joinTime ?? now, scene: m.joinScene })),
      left: stored
        .filter((r) => r.current && !listed.has(r.userid))
        .map((r) => ({ userid: r.userid, memberType: r.memberType, at: now, scene: null })),
    };
  });
  await upsert(
    db,
    'wecom_groups',
    reads.map(({ group: g, members }) => ({
      corp_id: corpId,
      chat_id: g.chatId,
      name: cut(g.name, 255),
      owner_userid: g.ownerUserid,
      notice: g.notice,
      admin_userids: JSON.stringify(g.adminUserids),
      status: 'active',
      owner_status: g.ownerStatus,
      member_version: g.memberVersion,
      member_count: members.length,
      created_time: g.createdTime,
      dismissed_at: null,
      seen_at: now,
      created_at: now,
      updated_at: now,
    })),
    {
      conflict: ['corp_id', 'chat_id'],
      update: [
        'name',
        'owner_userid',
        'notice',
        'admin_userids',
        'status',
        'owner_status',
        'member_version',
        'member_count',
        'created_time',
        'dismissed_at',
        'seen_at',
        'updated_at',
      ],
    },
  );
  const at = toDbTime(now);
  const time = (d: Date | null) => (d ? toDbTime(d) : null);
  await writeRows(
    db,
    membersUpsert(db),
    reads.flatMap(({ group, members }) =>
      members.map((m) => [
        corpId,
        group.chatId,
        m.userid,
        m.memberType,
        cut(m.name, 128),
        cut(m.groupNickname, 128),
        time(m.joinTime),
        m.joinScene,
        m.invitorUserid,
        cut(m.state, 64),
        at,
        at,
        at,
      ]),
    ),
  );
  // Only groups where someone left have current rows the reads did not refresh (a first read has none).
  const leaving = reads.filter((_, i) => results[i]!.left.length > 0).map((r) => r.group.chatId);
  if (leaving.length > 0)
    await execute(
      db,
      `UPDATE wecom_group_members SET left_at = ?, updated_at = ? WHERE corp_id = ? AND chat_id IN (${placeholders(leaving.length)}) AND left_at IS NULL AND (seen_at IS NULL OR seen_at < ?)`,
      [now, now, corpId, ...leaving, now],
    );
  return results;
}

const MEMBER_COLUMNS = [
  'corp_id',
  'chat_id',
  'userid',
  'member_type',
  'name',
  'group_nickname',
  'join_time',
  'join_scene',
  'invitor_userid',
  'state',
  'seen_at',
  'created_at',
  'updated_at',
];

/**
 * Every current member a read lists, as one statement shape: sent as server-side prepared blocks (writeRows), so
 * MariaDB does not lex a full sync's millions of quoted values. A member seen again after leaving is current again.
 */
function membersUpsert(db: Db): RowsStatement {
  return upsertStatement(db, 'wecom_group_members', MEMBER_COLUMNS, {
    conflict: ['corp_id', 'chat_id', 'userid'],
    update: {
      ...Object.fromEntries(
        [
          'member_type',
          'name',
          'group_nickname',
          'join_time',
          'join_scene',
          'invitor_userid',
          'state',
          'seen_at',
          'updated_at',
        ].map((c) => [c, excluded(db, c)]),
      ),
      left_at: 'NULL',
      quit_scene: 'NULL',
    },
  });
}

/** WeCom no longer has the group (dismissed, 40050/49008, or the dismiss callback): it keeps its history. */
export async function markGroupDismissed(db: Db, corpId: string, chatId: string, now: Date): Promise<boolean> {
  const r = await execute(
    db,
    "UPDATE wecom_groups SET status = 'dismissed', dismissed_at = ?, updated_at = ? WHERE corp_id = ? AND chat_id = ? AND status <> 'dismissed'",
    [now, now, corpId, chatId],
  );
  return r.affected > 0;
}

/** The stored groupchat/list status of a group (groupchat/get does not carry it), or undefined. */
export async function ownerStatusOf(db: Db, corpId: string, chatId: string): Promise<number | undefined> {
  const [row] = await select<{ owner_status: unknown }>(
    db,
    'SELECT owner_status FROM wecom_groups WHERE corp_id = ? AND chat_id = ?',
    [corpId, chatId],
  );
  return row ? Number(row.owner_status) : undefined;
}

/**
 * A del_member callback (DESIGN §10.1): the members it lists left at `at`, with the QuitScene it gave (0 left,
 * 1 removed), which only the callback says. A member no read has stored yet (joined and left between two
 * reads) gets a row too, as staff when the directory knows the userid, else as external. The re-read queued
 * with the callback has the last word: a member it still lists is current again. Returns the leaves not
 * recorded before (by an earlier read or a retried callback).
 */
export async function recordLeaves(
  db: Db,
  corpId: string,
  chatId: string,
  userids: readonly string[],
  scene: number | null,
  at: Date,
  now: Date,
): Promise<MembershipChange[]> {
  if (userids.length === 0) return [];
  const list = userids.map(() => '?').join(', ');
  const was = await select<{ userid: string; member_type: unknown; left_at: unknown }>(
    db,
    `SELECT userid, member_type, left_at FROM wecom_group_members WHERE corp_id = ? AND chat_id = ? AND userid IN (${list})`,
    [corpId, chatId, ...userids],
  );
  const changes: MembershipChange[] = was
    .filter((r) => r.left_at === null)
    .map((r) => ({ userid: String(r.userid), memberType: Number(r.member_type), at, scene }));
  await execute(
    db,
    `UPDATE wecom_group_members SET left_at = COALESCE(left_at, ?), quit_scene = ?, updated_at = ? WHERE corp_id = ? AND chat_id = ? AND userid IN (${list})`,
    [at, scene, now, corpId, chatId, ...userids],
  );
  const stored = new Set(was.map((r) => String(r.userid)));
  const unknown = [...new Set(userids)].filter((u) => !stored.has(u));
  if (unknown.length === 0) return changes;
  const staff = new Set(
    (
      await select<{ userid: string }>(
        db,
        `SELECT userid FROM wecom_staff WHERE corp_id = ? AND userid IN (${unknown.map(() => '?').join(', ')})`,
        [corpId, ...unknown],
      )
    ).map((r) => String(r.userid)),
  );
  await insertIgnore(
    db,
    'wecom_group_members',
    unknown.map((userid) => ({
      corp_id: corpId,
      chat_id: chatId,
      userid,
      member_type: staff.has(userid) ? 1 : 2,
      left_at: at,
      quit_scene: scene,
      created_at: now,
      updated_at: now,
    })),
  );
  return [...changes, ...unknown.map((userid) => ({ userid, memberType: staff.has(userid) ? 1 : 2, at, scene }))];
}

/** The customers holding some external_userids of a corp, by external_userid. */
export async function customersOfExternalUserids(
  db: Db,
  corpId: string,
  userids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(userids)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = await select<{ value: string; customer_id: string }>(
      db,
      `SELECT value, customer_id FROM identities WHERE type = 'wecom_external_userid' AND scope = ? AND value IN (${chunk.map(() => '?').join(', ')})`,
      [corpId, ...chunk],
    );
    for (const r of rows) out.set(String(r.value), String(r.customer_id));
  }
  return out;
}

/** A group's name, or null when unknown. */
export async function groupName(db: Db, corpId: string, chatId: string): Promise<string | null> {
  const [r] = await select<{ name: string | null }>(
    db,
    'SELECT name FROM wecom_groups WHERE corp_id = ? AND chat_id = ?',
    [corpId, chatId],
  );
  return r?.name ?? null;
}

/** Members who left the corp, as the staff directory knows them: WeCom lists their groups only when named. */
export async function resignedOwners(db: Db, corpId: string): Promise<string[]> {
  const rows = await select<{ userid: string }>(
    db,
    "SELECT userid FROM wecom_staff WHERE corp_id = ? AND status = 'left' ORDER BY userid",
    [corpId],
  );
  return rows.map((r) => String(r.userid));
}

/** Active groups of a corp no read since `since` has stored, oldest chat_id first. */
export async function unseenGroups(
  db: Db,
  corpId: string,
  since: Date,
  limit: number,
): Promise<{ chatId: string; ownerStatus: number }[]> {
  const rows = await select<{ chat_id: string; owner_status: unknown }>(
    db,
    `SELECT chat_id, owner_status FROM wecom_groups WHERE corp_id = ? AND status = 'active' AND (seen_at IS NULL OR seen_at < ?) ORDER BY chat_id LIMIT ${Math.trunc(limit)}`,
    [corpId, since],
  );
  return rows.map((r) => ({ chatId: String(r.chat_id), ownerStatus: Number(r.owner_status) }));
}

/** Every member row of a group, current and left, in join order. */
export async function groupMembers(db: Db, corpId: string, chatId: string): Promise<StoredGroupMember[]> {
  const rows = await select<{
    userid: string;
    member_type: unknown;
    name: string | null;
    join_scene: unknown;
    left_at: unknown;
  }>(
    db,
    'SELECT userid, member_type, name, join_scene, left_at FROM wecom_group_members WHERE corp_id = ? AND chat_id = ? ORDER BY join_time, id',
    [corpId, chatId],
  );
  return rows.map((r) => ({
    userid: String(r.userid),
    memberType: Number(r.member_type),
    name: r.name,
    joinScene: r.join_scene === null ? null : Number(r.join_scene),
    leftAt: fromDbTime(r.left_at),
  }));
}

/**
 * Erasure (DESIGN §12): a person's group memberships go with their external_userids (the rows hold their
 * nickname), whichever groups they are or were in.
 */
export async function deleteGroupMembershipsOf(
  db: Db,
  externalUserids: readonly { corpId: string; externalUserid: string }[],
): Promise<number> {
  let deleted = 0;
  for (const x of externalUserids) {
    deleted += (
      await execute(db, 'DELETE FROM wecom_group_members WHERE corp_id = ? AND userid = ? AND member_type = 2', [
        x.corpId,
        x.externalUserid,
      ])
    ).affected;
  }
  return deleted;
}
