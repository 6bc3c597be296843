import { dialectFor } from './dialect';
import { type Db, type Row, select } from './sql';

/** Keys per statement: an OR of composite keys that the table's unique index answers. */
const CHUNK = 300;

/**
 * The rows of `table` whose `keyColumns` equal any of `keys` (one value per key column), read with row locks on
 * MySQL for the rest of the transaction: an inbox batch reads what its rows will change in one statement. Keys
 * are locked in sorted order, so concurrent batches take their locks in one order.
 */
export async function lockRowsByKeys<T = Row>(
  db: Db,
  table: string,
  columns: string,
  keyColumns: readonly string[],
  keys: readonly (readonly string[])[],
): Promise<T[]> {
  const sorted = [...new Map(keys.map((k) => [k.join('\u0000'), k])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, k]) => k);
  const match = `(${keyColumns.map((c) => `${c} = ?`).join(' AND ')})`;
  const out: T[] = [];
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const part = sorted.slice(i, i + CHUNK);
    out.push(
      ...(await select<T>(
        db,
        `SELECT ${columns} FROM ${table} WHERE ${part.map(() => match).join(' OR ')}${dialectFor(db).forUpdate}`,
        part.flat(),
      )),
    );
  }
  return out;
}
