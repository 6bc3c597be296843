import { UNGROUPED } from '../entities';
import { type Db, type Row, execute, fromDbTime, idString, select } from '../sql';

export interface TagRecord {
  id: string;
  name: string;
  /** null when the tag is in no group (stored as UNGROUPED). */
  groupId: string | null;
  groupName: string | null;
  description: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

const SELECT = `SELECT t.id, t.name, t.group_id, g.name AS group_name, t.description, t.created_by, t.created_at, t.updated_at, t.deleted_at
  FROM tags t LEFT JOIN tag_groups g ON g.id = t.group_id`;

function toTag(r: Row): TagRecord {
  const groupId = idString(r.group_id);
  return {
    id: idString(r.id),
    name: String(r.name),
    groupId: groupId === UNGROUPED ? null : groupId,
    groupName: (r.group_name as string | null) ?? null,
    description: (r.description as string | null) ?? null,
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: fromDbTime(r.created_at)!,
    updatedAt: fromDbTime(r.updated_at)!,
    deletedAt: fromDbTime(r.deleted_at),
  };
}

/** Live tags in id order, keyset-paged. */
export async function listTags(
  db: Db,
  opts: { groupId?: string; q?: string; after?: string; limit: number },
): Promise<TagRecord[]> {
  const where = ['t.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (opts.groupId !== undefined) {
    where.push('t.group_id = ?');
    params.push(opts.groupId);
  }
  if (opts.q) {
    where.push("t.name LIKE ? ESCAPE '!'");
    params.push(`%${opts.q.replace(/[!%_]/g, (c) => `!${c}`)}%`);
  }
  if (opts.after) {
    where.push('t.id > ?');
    params.push(opts.after);
  }
  const rows = await select(
    db,
    `${SELECT} WHERE ${where.join(' AND ')} ORDER BY t.id LIMIT ${Math.trunc(opts.limit)}`,
    params,
  );
  return rows.map(toTag);
}

/**
 * Live tags bound to one account (a corp's tags for its sidebar), in catalog order of group then tag: tags read
 * from WeChat were made in the order WeChat lists them.
 */
export async function tagsBoundTo(db: Db, channel: 'oa' | 'wecom', account: string, q?: string): Promise<TagRecord[]> {
  const params: unknown[] = [channel, account];
  let filter = '';
  if (q) {
    filter = " AND t.name LIKE ? ESCAPE '!'";
    params.push(`%${q.replace(/[!%_]/g, (c) => `!${c}`)}%`);
  }
  const rows = await select(
    db,
    `${SELECT} JOIN tag_bindings b ON b.tag_id = t.id AND b.channel = ? AND b.account = ? WHERE t.deleted_at IS NULL${filter} ORDER BY t.group_id, t.id`,
    params,
  );
  return rows.map(toTag);
}

export async function findTags(db: Db, ids: readonly string[], includeDeleted = false): Promise<TagRecord[]> {
  if (ids.length === 0) return [];
  const rows = await select(
    db,
    `${SELECT} WHERE t.id IN (${ids.map(() => '?').join(', ')})${includeDeleted ? '' : ' AND t.deleted_at IS NULL'} ORDER BY t.id`,
    [...ids],
  );
  return rows.map(toTag);
}

export async function findTag(db: Db, id: string, includeDeleted = false): Promise<TagRecord | undefined> {
  return (await findTags(db, [id], includeDeleted))[0];
}

/** The live tag named `name` in group `groupId` (null = ungrouped), if any. */
export async function findTagByName(db: Db, groupId: string | null, name: string): Promise<TagRecord | undefined> {
  const rows = await select(db, `${SELECT} WHERE t.group_id = ? AND t.name = ? AND t.deleted_at IS NULL`, [
    groupId ?? UNGROUPED,
    name,
  ]);
  return rows[0] ? toTag(rows[0]) : undefined;
}

export async function insertTag(
  db: Db,
  t: { name: string; groupId: string | null; description: string | null; createdBy: string | null; now: Date },
): Promise<string> {
  const r = await execute(
    db,
    'INSERT INTO tags (name, group_id, description, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    [t.name, t.groupId ?? UNGROUPED, t.description, t.createdBy, t.now, t.now],
  );
  if (!r.insertId) throw new Error('tag insert returned no id');
  return r.insertId;
}

export async function updateTag(
  db: Db,
  id: string,
  f: { name?: string; groupId?: string | null; description?: string | null },
  now: Date,
): Promise<void> {
  const changes: [string, unknown][] = [];
  if (f.name !== undefined) changes.push(['name', f.name]);
  if (f.groupId !== undefined) changes.push(['group_id', f.groupId ?? UNGROUPED]);
  if (f.description !== undefined) changes.push(['description', f.description]);
  changes.push(['updated_at', now]);
  await execute(db, `UPDATE tags SET ${changes.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`, [
    ...changes.map(([, v]) => v),
    id,
  ]);
}

/**
 * Soft delete: the row stays (bindings and remote state still point at it while removals drain) and its name is
 * freed for a new tag, since (group_id, name) is unique over deleted rows too.
 */
export async function softDeleteTag(db: Db, id: string, name: string, now: Date): Promise<void> {
  await execute(db, 'UPDATE tags SET name = ?, deleted_at = ?, updated_at = ? WHERE id = ?', [
    `${name.slice(0, 40)}#deleted#${id}`.slice(0, 64),
    now,
    now,
    id,
  ]);
}

export async function countTagsInGroup(db: Db, groupId: string): Promise<number> {
  const rows = await select<{ n: unknown }>(
    db,
    'SELECT COUNT(*) AS n FROM tags WHERE group_id = ? AND deleted_at IS NULL',
    [groupId],
  );
  return Number(rows[0]?.n ?? 0);
}
