import type { Connection, ResultSetHeader } from 'mysql2';
import type { EntityManager } from 'typeorm';
import { dialectOf } from './dialect';
import { executeOnPool, mysqlPool } from './pool-statements';
import { type Db, execute, rowsStatementText, type RowsStatement } from './sql';

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
 * On MySQL, whole blocks of PREPARED_BLOCK_ROWS go as one server-side prepared statement, on the transaction's
 * own connection when `db` is an EntityManager, else on the pool: at a million followers, lexing the text of
 * multi-row INSERTs (every value a quoted literal) was about a fifth of MariaDB's CPU in a sync. The remainder
 * (fewer rows than a block) goes as text, so row counts that vary do not leave a prepared statement per count.
 * On SQLite, statements of at most `textRows` rows through the connection gate, as before.
 */
export async function writeRows(db: Db, stmt: RowsStatement, rows: readonly unknown[][], textRows = 4000): Promise<number> {
  if (rows.length === 0) return 0;
  const ds = 'dataSource' in db ? db.dataSource : db;
  let affected = 0;
  let start = 0;
  if (dialectOf(ds) === 'mysql') {
    const run = preparedRunner(db);
    if (run && rows.length >= PREPARED_BLOCK_ROWS) {
      const sql = rowsStatementText(stmt, PREPARED_BLOCK_ROWS);
      for (; start + PREPARED_BLOCK_ROWS <= rows.length; start += PREPARED_BLOCK_ROWS) {
        affected += (await run(sql, rows.slice(start, start + PREPARED_BLOCK_ROWS).flat())).affectedRows;
      }
    }
  }
  for (; start < rows.length; start += textRows) {
    const part = rows.slice(start, start + textRows);
    affected += (await execute(db, rowsStatementText(stmt, part.length), part.flat())).affected;
  }
  return affected;
}

type PreparedRun = (sql: string, values: unknown[]) => Promise<ResultSetHeader>;

/** Prepared execution on the connection the statement must use; undefined when there is none to reach. */
function preparedRunner(db: Db): PreparedRun | undefined {
  if ('dataSource' in db) {
    const conn = transactionConnection(db);
    return conn ? (sql, values) => executeLean(conn, sql, values) : undefined;
  }
  const pool = mysqlPool(db);
  return pool ? (sql, values) => executeOnPool<ResultSetHeader>(pool, sql, values) : undefined;
}

/**
 * Prepares (once per connection: mysql2 caches by text) and executes. mysql2 keeps one parameter definition
 * object per placeholder of a cached statement — thousands per block, ~17 MB of live heap over the four
 * connections of a sync, which V8 then lets grow fourfold before collecting. A definition only serves to send a
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
 * mysql2's connection under a transaction's query runner (TypeORM's MysqlQueryRunner keeps it as
 * `databaseConnection` once connected, which a running transaction is). Statements sent on it run inside the
 * transaction, like the runner's own.
 */
function transactionConnection(em: EntityManager): Connection | undefined {
  const runner = em.queryRunner as unknown as { databaseConnection?: Connection; isReleased?: boolean } | undefined;
  const conn = runner && !runner.isReleased ? runner.databaseConnection : undefined;
  return conn && typeof conn.prepare === 'function' ? conn : undefined;
}
