import type { Connection, ResultSetHeader } from 'mysql2';
import { dialectFor } from '../dialect';
import { type Db, execute, rowsStatementText, type RowsStatement } from '../sql';

/**
 * Rows per prepared statement. A full follower-sync batch (1,000 followers: 1,000 customers, 2,000 identities,
 * 1,000 subscriptions) splits into whole blocks, so each connection prepares one statement per table and then
 * only executes it; a block's Items (~3,500 parameters) stay small in the server's memory.
 */
export const PREPARED_BLOCK_ROWS = 500;

/**
 * Writes `rows` (each the values of one `tuple`, already in database form: strings, numbers, null — see
 * toDbParam) and returns the rows affected as the server counts them.
 *
 * On MySQL inside a transaction (an EntityManager), whole blocks of PREPARED_BLOCK_ROWS go as one server-side
 * prepared statement on the transaction's own connection, so the server parses it once instead of lexing every
 * multi-row INSERT's quoted literals, a large share of its CPU in a big sync. The remainder (fewer rows
 * than a block) goes as text, so row counts that vary do not leave a prepared statement per count. Everything
 * else — SQLite (through its connection gate), or no transaction — goes as text, `textRows` rows a statement.
 */
export async function writeRows(
  db: Db,
  stmt: RowsStatement,
  rows: readonly unknown[][],
  textRows = 4000,
): Promise<number> {
  let affected = 0;
  let start = 0;
  const conn = rows.length >= PREPARED_BLOCK_ROWS ? mysqlTransactionConnection(db) : undefined;
  if (conn) {
    const sql = rowsStatementText(stmt, PREPARED_BLOCK_ROWS);
    for (; start + PREPARED_BLOCK_ROWS <= rows.length; start += PREPARED_BLOCK_ROWS) {
      affected += (await executeLean(conn, sql, rows.slice(start, start + PREPARED_BLOCK_ROWS).flat())).affectedRows;
    }
  }
  for (; start < rows.length; start += textRows) {
    const part = rows.slice(start, start + textRows);
    affected += (await execute(db, rowsStatementText(stmt, part.length), part.flat())).affected;
  }
  return affected;
}

/**
 * Prepares (once per connection: mysql2 caches by text) and executes. mysql2 keeps one parameter definition
 * object per placeholder of a cached statement, which adds up over the connections of a sync and lingers until
 * V8 collects. A definition only serves to send a
 * JS number with an integer encoding instead of a double; the values here are strings, null and 0/1, which the
 * server converts either way, so the definitions are dropped once the statement is prepared.
 */
function executeLean(conn: Connection, sql: string, values: unknown[]): Promise<ResultSetHeader> {
  return new Promise((resolve, reject) => {
    conn.prepare(sql, (err, statement) => {
      if (err) return reject(err);
      const info = statement as unknown as { parameters?: unknown[] };
      if (info.parameters && info.parameters.length > 0) info.parameters = [];
      statement.execute(values, (e: unknown, result: ResultSetHeader) => (e ? reject(e) : resolve(result)));
    });
  });
}

/**
 * mysql2's connection under a MySQL transaction's query runner (TypeORM's MysqlQueryRunner keeps it as
 * `databaseConnection` once connected, which a running transaction is); undefined for a DataSource and on SQLite.
 * Statements sent on it run inside the transaction, like the runner's own.
 */
function mysqlTransactionConnection(db: Db): Connection | undefined {
  if (!('dataSource' in db) || dialectFor(db).family !== 'mysql') return undefined;
  const runner = db.queryRunner as unknown as { databaseConnection?: Connection; isReleased?: boolean } | undefined;
  return runner && !runner.isReleased ? runner.databaseConnection : undefined;
}
