import type { TagBindingChannel, TagBindingStatus } from '../entities';
import { type Db, type Row, execute, fromDbTime, idString, select } from '../sql';

/**
 * A catalog tag bound to one remote account: `oa` → an OA tag id of appid `account`; `wecom` → a corp tag id in
 * group `remoteGroupName` of corp `account`. `remoteTagId` stays null until first use creates or adopts it.
 */
export interface BindingRecord {
  id: string;
  tagId: string;
  channel: TagBindingChannel;
  account: string;
  remoteTagId: string | null;
  remoteGroupId: string | null;
  remoteGroupName: string | null;
  remoteName: string | null;
  status: TagBindingStatus;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMN_NAMES = [
  'id',
  'tag_id',
  'channel',
  'account',
  'remote_tag_id',
  'remote_group_id',
  'remote_group_name',
  'remote_name',
  'status',
  'error',
  'created_at',
  'updated_at',
];
const COLUMNS = COLUMN_NAMES.join(', ');

/** The columns `toBinding` reads, of the `tag_bindings` table joined as `alias`. */
export function bindingColumns(alias: string): string {
  return COLUMN_NAMES.map((c) => `${alias}.${c}`).join(', ');
}

export function toBinding(r: Row): BindingRecord {
  return {
    id: idString(r.id),
    tagId: idString(r.tag_id),
    channel: r.channel as TagBindingChannel,
    account: String(r.account),
    remoteTagId: (r.remote_tag_id as string | null) ?? null,
    remoteGroupId: (r.remote_group_id as string | null) ?? null,
    remoteGroupName: (r.remote_group_name as string | null) ?? null,
    remoteName: (r.remote_name as string | null) ?? null,
    status: r.status as TagBindingStatus,
    error: (r.error as string | null) ?? null,
    createdAt: fromDbTime(r.created_at)!,
    updatedAt: fromDbTime(r.updated_at)!,
  };
}

export async function bindingsOfTags(db: Db, tagIds: readonly string[]): Promise<BindingRecord[]> {
  if (tagIds.length === 0) return [];
  const rows = await select(
    db,
    `SELECT ${COLUMNS} FROM tag_bindings WHERE tag_id IN (${tagIds.map(() => '?').join(', ')}) ORDER BY id`,
    [...tagIds],
  );
  return rows.map(toBinding);
}

export async function bindingsOfAccount(db: Db, channel: TagBindingChannel, account: string): Promise<BindingRecord[]> {
  const rows = await select(db, `SELECT ${COLUMNS} FROM tag_bindings WHERE channel = ? AND account = ? ORDER BY id`, [
    channel,
    account,
  ]);
  return rows.map(toBinding);
}

export async function findBinding(db: Db, id: string): Promise<BindingRecord | undefined> {
  const rows = await select(db, `SELECT ${COLUMNS} FROM tag_bindings WHERE id = ?`, [id]);
  return rows[0] ? toBinding(rows[0]) : undefined;
}

export async function insertBinding(
  db: Db,
  b: {
    tagId: string;
    channel: TagBindingChannel;
    account: string;
    remoteName: string;
    remoteGroupName: string | null;
    now: Date;
  },
): Promise<string> {
  const r = await execute(
    db,
    "INSERT INTO tag_bindings (tag_id, channel, account, remote_name, remote_group_name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
    [b.tagId, b.channel, b.account, b.remoteName, b.remoteGroupName, b.now, b.now],
  );
  if (!r.insertId) throw new Error('binding insert returned no id');
  return r.insertId;
}

/** A binding to a remote tag read from WeChat (the corp tag library, the OA tag list): bound from the start. */
export async function insertBoundBinding(
  db: Db,
  b: {
    tagId: string;
    channel: TagBindingChannel;
    account: string;
    remoteTagId: string;
    remoteGroupId: string | null;
    remoteName: string;
    remoteGroupName: string | null;
    now: Date;
  },
): Promise<string> {
  const r = await execute(
    db,
    "INSERT INTO tag_bindings (tag_id, channel, account, remote_tag_id, remote_group_id, remote_name, remote_group_name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'bound', ?, ?)",
    [b.tagId, b.channel, b.account, b.remoteTagId, b.remoteGroupId, b.remoteName, b.remoteGroupName, b.now, b.now],
  );
  if (!r.insertId) throw new Error('binding insert returned no id');
  return r.insertId;
}

/** The remote tag now exists (created or adopted). */
export async function markBound(
  db: Db,
  id: string,
  remote: { tagId: string; groupId: string | null; name: string; groupName: string | null },
  now: Date,
): Promise<void> {
  await execute(
    db,
    "UPDATE tag_bindings SET remote_tag_id = ?, remote_group_id = ?, remote_name = ?, remote_group_name = ?, status = 'bound', error = NULL, updated_at = ? WHERE id = ?",
    [remote.tagId, remote.groupId, remote.name, remote.groupName, now, id],
  );
}

/** The remote tag cannot be created (45056 account tag limit, 40126 corp cap, invalid name …). */
export async function markFailed(db: Db, id: string, error: string, now: Date): Promise<void> {
  await execute(db, "UPDATE tag_bindings SET status = 'failed', error = ?, updated_at = ? WHERE id = ?", [
    error,
    now,
    id,
  ]);
}

/** Forget the remote id (deleted in WeChat, or the remote name changed) so the next use creates or adopts again. */
export async function resetBinding(
  db: Db,
  id: string,
  fields: { remoteName?: string; remoteGroupName?: string | null; error: string | null },
  now: Date,
): Promise<void> {
  const sets = ['remote_tag_id = NULL', 'remote_group_id = NULL', "status = 'pending'", 'error = ?', 'updated_at = ?'];
  const params: unknown[] = [fields.error, now];
  if (fields.remoteName !== undefined) {
    sets.push('remote_name = ?');
    params.push(fields.remoteName);
  }
  if (fields.remoteGroupName !== undefined) {
    sets.push('remote_group_name = ?');
    params.push(fields.remoteGroupName);
  }
  await execute(db, `UPDATE tag_bindings SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
}

/** WeChat reports the bound tag under another name or group (renamed by an admin): follow it. */
export async function updateRemoteNames(
  db: Db,
  id: string,
  r: { name: string; groupId: string | null; groupName: string | null },
  now: Date,
): Promise<void> {
  await execute(
    db,
    'UPDATE tag_bindings SET remote_name = ?, remote_group_id = ?, remote_group_name = ?, updated_at = ? WHERE id = ?',
    [r.name, r.groupId, r.groupName, now, id],
  );
}

export async function deleteBinding(db: Db, id: string): Promise<void> {
  await execute(db, 'DELETE FROM tag_bindings WHERE id = ?', [id]);
}

/** Tags bound to some account, in id order. */
export async function boundTagIds(db: Db): Promise<string[]> {
  return (await select(db, 'SELECT DISTINCT tag_id FROM tag_bindings ORDER BY tag_id')).map((r) => idString(r.tag_id));
}
