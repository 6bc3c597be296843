import { dialectFor } from '../../../src/storage/dialect';
import { PREPARED_BLOCK_ROWS, writeRows } from '../../../src/storage/driver/prepared-rows';
import { fromDbTime, isDuplicateKeyError, type RowsStatement, select, toDbTime } from '../../../src/storage/sql';
import { useTestDatabase } from '../../helpers/describe-db';

const IDENTITIES: RowsStatement = {
  head: 'INSERT INTO identities (customer_id, type, scope, value, value_enc, source, verified, created_at, updated_at) VALUES ',
  tuple: '(?, ?, ?, ?, ?, ?, 0, ?, ?)',
  tail: '',
};

const at = toDbTime(new Date('2026-11-23T01:02:03.456Z'));
const row = (i: number, scope = 'wx-prepared'): unknown[] => [
  `c-${i}`,
  'oa_openid',
  scope,
  `o-${String(i).padStart(5, '0')}-客户`,
  i % 3 === 0 ? null : `enc-${i}`,
  'test',
  at,
  at,
];

/**
 * writeRows (storage/driver/prepared-rows.ts): whole blocks as prepared statements on MySQL, the remainder as text, on
 * SQLite everything as text — the same rows either way, inside the caller's transaction.
 */
describe('writeRows', () => {
  const db = useTestDatabase();
  const count = 2 * PREPARED_BLOCK_ROWS + 234;

  it('writes whole blocks and the remainder with every value intact', async () => {
    const executed = () =>
      select<{ Value: string }>(db.ds, "SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'").then((r) => Number(r[0]!.Value));
    const before = dialectFor(db.ds).family === 'mysql' ? await executed() : 0;
    const affected = await db.ds.transaction((em) =>
      writeRows(
        em,
        IDENTITIES,
        Array.from({ length: count }, (_, i) => row(i)),
      ),
    );
    expect(affected).toBe(count);
    // on MySQL the two whole blocks went as prepared statements (the counter is global: other tests only add)
    if (dialectFor(db.ds).family === 'mysql') expect((await executed()) - before).toBeGreaterThanOrEqual(2);
    const rows = await select<{ customer_id: string; value: string; value_enc: string | null; created_at: unknown }>(
      db.ds,
      "SELECT customer_id, value, value_enc, created_at FROM identities WHERE scope = 'wx-prepared' ORDER BY value",
    );
    expect(rows).toHaveLength(count);
    rows.forEach((r, i) => {
      expect(r.customer_id).toBe(`c-${i}`);
      expect(r.value).toBe(`o-${String(i).padStart(5, '0')}-客户`);
      expect(r.value_enc).toBe(i % 3 === 0 ? null : `enc-${i}`);
    });
    expect(fromDbTime(rows[0]!.created_at)!.toISOString()).toBe('2026-11-23T01:02:03.456Z');
  });

  it('runs inside the transaction: a rollback takes the prepared blocks with it', async () => {
    await expect(
      db.ds.transaction(async (em) => {
        await writeRows(
          em,
          IDENTITIES,
          Array.from({ length: PREPARED_BLOCK_ROWS + 1 }, (_, i) => row(i, 'wx-rolled-back')),
        );
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await select(db.ds, "SELECT id FROM identities WHERE scope = 'wx-rolled-back'")).toHaveLength(0);
  });

  it('reports a duplicate key in a prepared block as the usual duplicate-key error, and can be run again after', async () => {
    const rows = Array.from({ length: PREPARED_BLOCK_ROWS }, (_, i) => row(i, 'wx-dup'));
    await db.ds.transaction((em) => writeRows(em, IDENTITIES, rows));
    const err = await db.ds.transaction((em) => writeRows(em, IDENTITIES, rows)).catch((e: unknown) => e);
    expect(isDuplicateKeyError(err)).toBe(true);
    // the statement stays usable on its connection (prepared once, parameter definitions dropped)
    const more = Array.from({ length: PREPARED_BLOCK_ROWS }, (_, i) => row(i, 'wx-dup-2'));
    expect(await db.ds.transaction((em) => writeRows(em, IDENTITIES, more))).toBe(PREPARED_BLOCK_ROWS);
  });

  it('writes outside a transaction too (as text)', async () => {
    expect(
      await writeRows(
        db.ds,
        IDENTITIES,
        Array.from({ length: PREPARED_BLOCK_ROWS }, (_, i) => row(i, 'wx-pool')),
      ),
    ).toBe(PREPARED_BLOCK_ROWS);
    expect(await select(db.ds, "SELECT id FROM identities WHERE scope = 'wx-pool'")).toHaveLength(PREPARED_BLOCK_ROWS);
  });
});
