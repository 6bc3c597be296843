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
