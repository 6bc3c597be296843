import { type Db, type Row, execute, fromDbTime, idString, select } from '../sql';

export interface TagGroupRecord {
  id: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

function toGroup(r: Row): TagGroupRecord {
  return {
    id: idString(r.id),
    name: String(r.name),
    createdAt: fromDbTime(r.created_at)!,
    updatedAt: fromDbTime(r.updated_at)!,
  };
}

export async function listGroups(db: Db): Promise<TagGroupRecord[]> {
  return (await select(db, 'SELECT id, name, created_at, updated_at FROM tag_groups ORDER BY id')).map(toGroup);
}

export async function findGroup(db: Db, id: string): Promise<TagGroupRecord | undefined> {
  const rows = await select(db, 'SELECT id, name, created_at, updated_at FROM tag_groups WHERE id = ?', [id]);
  return rows[0] ? toGroup(rows[0]) : undefined;
}

export async function findGroupByName(db: Db, name: string): Promise<TagGroupRecord | undefined> {
  const rows = await select(db, 'SELECT id, name, created_at, updated_at FROM tag_groups WHERE name = ?', [name]);
  return rows[0] ? toGroup(rows[0]) : undefined;
}

export async function insertGroup(db: Db, name: string, now: Date): Promise<string> {
  const r = await execute(db, 'INSERT INTO tag_groups (name, created_at, updated_at) VALUES (?, ?, ?)', [
    name,
    now,
    now,
  ]);
  if (!r.insertId) throw new Error('tag group insert returned no id');
  return r.insertId;
}

export async function renameGroup(db: Db, id: string, name: string, now: Date): Promise<void> {
  await execute(db, 'UPDATE tag_groups SET name = ?, updated_at = ? WHERE id = ?', [name, now, id]);
}

export async function deleteGroup(db: Db, id: string): Promise<void> {
  await execute(db, 'DELETE FROM tag_groups WHERE id = ?', [id]);
}
