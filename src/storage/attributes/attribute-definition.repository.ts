import type { AttributeDefinitionRow, AttributeEditor, AttributeType } from '../entities/attribute-definition.entity';
import { type Db, type Row, execute, fromDbTime, fromJsonText, idString, select, toDbTime } from '../sql';

const COLUMNS = 'id, attr_key, label_zh, label_en, type, options, pii, editable_by, created_by, created_at, updated_at';

function toDefinition(r: Row): AttributeDefinitionRow {
  return {
    id: idString(r.id),
    key: String(r.attr_key),
    labelZh: String(r.label_zh),
    labelEn: String(r.label_en),
    type: r.type as AttributeType,
    options: fromJsonText<string[]>(r.options),
    pii: Number(r.pii) === 1 || r.pii === true,
    editableBy: fromJsonText<AttributeEditor[]>(r.editable_by) ?? [],
    createdBy: r.created_by === null || r.created_by === undefined ? null : String(r.created_by),
    createdAt: fromDbTime(r.created_at)!,
    updatedAt: fromDbTime(r.updated_at)!,
  };
}

export type NewAttributeDefinition = Omit<AttributeDefinitionRow, 'id' | 'createdAt' | 'updatedAt'>;
export type AttributeDefinitionChanges = Partial<
  Pick<AttributeDefinitionRow, 'labelZh' | 'labelEn' | 'options' | 'pii' | 'editableBy'>
>;

/** Every definition, in the order they were made (screens group and show them so). */
export async function listDefinitions(db: Db): Promise<AttributeDefinitionRow[]> {
  return (await select(db, `SELECT ${COLUMNS} FROM attribute_definitions ORDER BY id`)).map(toDefinition);
}

export async function findDefinition(db: Db, key: string): Promise<AttributeDefinitionRow | undefined> {
  const [r] = await select(db, `SELECT ${COLUMNS} FROM attribute_definitions WHERE attr_key = ?`, [key]);
  return r ? toDefinition(r) : undefined;
}

/** Inserts a definition (the key is unique: a duplicate fails with a duplicate-key error). */
export async function insertDefinition(db: Db, d: NewAttributeDefinition, now: Date): Promise<void> {
  const at = toDbTime(now);
  await execute(
    db,
    `INSERT INTO attribute_definitions (attr_key, label_zh, label_en, type, options, pii, editable_by, created_by, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [d.key, d.labelZh, d.labelEn, d.type, d.options, d.pii, d.editableBy, d.createdBy, at, at],
  );
}

const COLUMN_OF: Record<keyof AttributeDefinitionChanges, string> = {
  labelZh: 'label_zh',
  labelEn: 'label_en',
  options: 'options',
  pii: 'pii',
  editableBy: 'editable_by',
};

export async function updateDefinition(
  db: Db,
  key: string,
  changes: AttributeDefinitionChanges,
  now: Date,
): Promise<void> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined) as [
    keyof AttributeDefinitionChanges,
    unknown,
  ][];
  await execute(
    db,
    `UPDATE attribute_definitions SET ${[...entries.map(([k]) => `${COLUMN_OF[k]} = ?`), 'updated_at = ?'].join(', ')} WHERE attr_key = ?`,
    [...entries.map(([, v]) => v), toDbTime(now), key],
  );
}

export async function deleteDefinition(db: Db, key: string): Promise<void> {
  await execute(db, 'DELETE FROM attribute_definitions WHERE attr_key = ?', [key]);
}
