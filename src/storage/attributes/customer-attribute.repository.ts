import type { AttributeSource, CustomerAttributeRow } from '../entities/customer-attribute.entity';
import { type Db, type Row, execute, fromDbTime, idString, select, toDbTime, upsert } from '../sql';

const COLUMNS = 'id, customer_id, attr_key, value_text, value_num, value_enc, source, updated_by, updated_at';
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toCustomerAttribute(r: Row): CustomerAttributeRow {
  return {
    id: idString(r.id),
    customerId: String(r.customer_id),
    key: String(r.attr_key),
    valueText: text(r.value_text),
    valueNum: r.value_num === null || r.value_num === undefined ? null : Number(r.value_num),
    valueEnc: text(r.value_enc),
    source: r.source as AttributeSource,
    updatedBy: text(r.updated_by),
    updatedAt: fromDbTime(r.updated_at)!,
  };
}

/** A value as stored: exactly one of the three columns is set. */
export interface StoredValue {
  valueText: string | null;
  valueNum: number | null;
  valueEnc: string | null;
}

export async function attributesOf(db: Db, customerId: string): Promise<CustomerAttributeRow[]> {
  return (
    await select(db, `SELECT ${COLUMNS} FROM customer_attributes WHERE customer_id = ? ORDER BY id`, [customerId])
  ).map(toCustomerAttribute);
}

/** Sets (inserts or replaces) one value of one customer. */
export async function setAttribute(
  db: Db,
  a: StoredValue & { customerId: string; key: string; source: AttributeSource; updatedBy: string | null },
  now: Date,
): Promise<void> {
  await upsert(
    db,
    'customer_attributes',
    [
      {
        customer_id: a.customerId,
        attr_key: a.key,
        value_text: a.valueText,
        value_num: a.valueNum,
        value_enc: a.valueEnc,
        source: a.source,
        updated_by: a.updatedBy,
        updated_at: toDbTime(now),
      },
    ],
    {
      conflict: ['customer_id', 'attr_key'],
      update: ['value_text', 'value_num', 'value_enc', 'source', 'updated_by', 'updated_at'],
    },
  );
}

export async function clearAttribute(db: Db, customerId: string, key: string): Promise<void> {
  await execute(db, 'DELETE FROM customer_attributes WHERE customer_id = ? AND attr_key = ?', [customerId, key]);
}

export async function countValuesOf(db: Db, key: string): Promise<number> {
  const [r] = await select<{ n: unknown }>(db, 'SELECT COUNT(*) AS n FROM customer_attributes WHERE attr_key = ?', [
    key,
  ]);
  return Number(r?.n ?? 0);
}

export async function deleteValuesOf(db: Db, key: string): Promise<number> {
  return (await execute(db, 'DELETE FROM customer_attributes WHERE attr_key = ?', [key])).affected;
}

/**
 * On a merge (DESIGN §4): the merged customer's values whose key the survivor lacks move (their ids), the others
 * stay with the merged customer — the survivor wins — and are named so the merge log keeps them for an undo.
 */
export async function attributesToMove(
  db: Db,
  survivorId: string,
  mergedId: string,
): Promise<{ move: string[]; kept: { id: string; key: string }[] }> {
  const rows = await select<{ id: unknown; attr_key: string; held: unknown }>(
    db,
    `SELECT a.id, a.attr_key, (SELECT COUNT(*) FROM customer_attributes s WHERE s.customer_id = ? AND s.attr_key = a.attr_key) AS held
      FROM customer_attributes a WHERE a.customer_id = ? ORDER BY a.id`,
    [survivorId, mergedId],
  );
  const move: string[] = [];
  const kept: { id: string; key: string }[] = [];
  for (const r of rows) {
    if (Number(r.held) > 0) kept.push({ id: idString(r.id), key: r.attr_key });
    else move.push(idString(r.id));
  }
  return { move, kept };
}

/** A copy of one of the merged customer's values, as the merge log keeps it (DESIGN §4): undo restores it exactly. */
export interface AttributeCopy extends StoredValue {
  key: string;
  source: AttributeSource;
  updatedBy: string | null;
  /** ISO time of the value's last change. */
  updatedAt: string;
  /** Whether the value moved to the survivor (the survivor had no value for the key). */
  moved: boolean;
}

/** Copies of every value of `mergedId`, each marked with whether the merge moves it (its key is free on the survivor). */
export async function attributeCopiesOf(db: Db, survivorId: string, mergedId: string): Promise<AttributeCopy[]> {
  const held = new Set((await attributesOf(db, survivorId)).map((a) => a.key));
  return (await attributesOf(db, mergedId)).map((a) => ({
    key: a.key,
    valueText: a.valueText,
    valueNum: a.valueNum,
    valueEnc: a.valueEnc,
    source: a.source,
    updatedBy: a.updatedBy,
    updatedAt: a.updatedAt.toISOString(),
    moved: !held.has(a.key),
  }));
}

const sameValue = (a: StoredValue, b: StoredValue): boolean =>
  a.valueText === b.valueText && a.valueNum === b.valueNum && a.valueEnc === b.valueEnc;

/**
 * Undoes a merge's attributes from the log's copies: the merged customer gets exactly the values it had; a value
 * that moved leaves the survivor only while the survivor still holds it unchanged (a value set since is the
 * survivor's own). Returns the values restored.
 */
export async function restoreAttributeCopies(
  db: Db,
  survivorId: string,
  mergedId: string,
  copies: readonly AttributeCopy[],
): Promise<number> {
  const onSurvivor = new Map((await attributesOf(db, survivorId)).map((a) => [a.key, a]));
  for (const c of copies) {
    const now = onSurvivor.get(c.key);
    if (c.moved && now && sameValue(now, c))
      await execute(db, 'DELETE FROM customer_attributes WHERE id = ?', [now.id]);
  }
  await execute(db, 'DELETE FROM customer_attributes WHERE customer_id = ?', [mergedId]);
  if (copies.length === 0) return 0;
  await upsert(
    db,
    'customer_attributes',
    copies.map((c) => ({
      customer_id: mergedId,
      attr_key: c.key,
      value_text: c.valueText,
      value_num: c.valueNum,
      value_enc: c.valueEnc,
      source: c.source,
      updated_by: c.updatedBy,
      updated_at: toDbTime(new Date(c.updatedAt)),
    })),
    {
      conflict: ['customer_id', 'attr_key'],
      update: ['value_text', 'value_num', 'value_enc', 'source', 'updated_by', 'updated_at'],
    },
  );
  return copies.length;
}
