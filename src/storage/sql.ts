import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { dialectFor } from './dialect';
import { isDuplicateKeyError, toDbParam } from './sql-values';

export * from './sql-values';

/** Anything raw SQL can run on: the DataSource, or a transaction's EntityManager (runs inside it). */
export type Db = DataSource | EntityManager;
export type Row = Record<string, unknown>;

/** The DataSource a Db runs on (a transaction's manager knows its own). */
export const dsOf = (db: Db): DataSource => ('dataSource' in db ? db.dataSource : db);

async function onRunner<T>(db: Db, fn: (r: QueryRunner) => Promise<T>): Promise<T> {
  const own = 'dataSource' in db ? db.queryRunner : undefined;
  if (own) return fn(own);
  const runner = dsOf(db).createQueryRunner();
  try {
    return await fn(runner);
  } finally {
    await runner.release();
  }
}

/** Quoted identifier for the dialect. */
export function q(db: Db, identifier: string): string {
  return dsOf(db).driver.escape(identifier);
}

/** UTC now with milliseconds as an SQL expression (prefer passing the app clock's time as a parameter). */
export function nowSql(db: Db): string {
  return dialectFor(db).now;
}

/**
 * Row claiming across instances: `FOR UPDATE SKIP LOCKED` where the server implements it (MySQL 8.0.1+,
 * MariaDB 10.6+; not TiDB), plain `FOR UPDATE` otherwise, and '' on SQLite, whose single writer plus withLock
 * already serialise claimers.
 */
export function forUpdateSkipLocked(db: Db): string {
  return dialectFor(db).claimLock;
}

/**
 * Runs a write; `affected` = rows matched (UPDATE counts rows matched, not changed, on both drivers).
 * `insertId` only for an INSERT that added exactly one row: for several rows MySQL reports the first id and
 * SQLite the last, and SQLite keeps a stale id after an INSERT that added none.
 */
export async function execute(
  db: Db,
  sql: string,
  params: unknown[] = [],
): Promise<{ affected: number; insertId?: string }> {
  const mysql = dialectFor(db).family === 'mysql';
  const result = await onRunner(db, (r) => r.query(sql, params.map(toDbParam), true));
  const { raw, affected = 0 } = result as { raw: unknown; affected?: number };
  if (affected !== 1 || !/^\s*insert\b/i.test(sql)) return { affected };
  const id = mysql ? (raw as { insertId?: number | string } | undefined)?.insertId : raw;
  return id === undefined || id === null ? { affected } : { affected, insertId: String(id) };
}

/**
 * Runs an INSERT that a unique key may refuse because another writer stored the row first: undefined then, and
 * the caller's transaction goes on (both servers roll back only the failed statement).
 */
export async function executeUnlessDuplicate(
  db: Db,
  sql: string,
  params: unknown[] = [],
): Promise<{ affected: number; insertId?: string } | undefined> {
  try {
    return await execute(db, sql, params);
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    return undefined;
  }
}

/** Runs a read. Column values are raw: see sql-values.ts for dates, JSON and bigint ids. */
export async function select<T = Row>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await onRunner(db, (r) => r.query(sql, params.map(toDbParam)))) as T[];
}

/** The value the conflicting insert proposed, inside an upsert's update expression. */
export function excluded(db: Db, column: string): string {
  return dialectFor(db).excluded(q(db, column));
}

/** A multi-row INSERT in three parts: `head` + `tuple`, `tuple`, … + `tail` (the conflict clause, or ''). */
export interface RowsStatement {
  head: string;
  tuple: string;
  tail: string;
}

export function rowsStatementText(stmt: RowsStatement, rows: number): string {
  return `${stmt.head}${Array.from({ length: rows }, () => stmt.tuple).join(', ')}${stmt.tail}`;
}

function insertHead(db: Db, verb: string, table: string, columns: string[]): Pick<RowsStatement, 'head' | 'tuple'> {
  return {
    head: `${verb} INTO ${q(db, table)} (${columns.map((c) => q(db, c)).join(', ')}) VALUES `,
    tuple: `(${columns.map(() => '?').join(', ')})`,
  };
}

/** Rows per statement: under SQLite's 32766 bound variables and a modest MySQL packet. */
function chunks(rows: Row[], columns: number, max = 500): Row[][] {
  const size = Math.max(1, Math.min(max, Math.floor(30_000 / Math.max(1, columns))));
  const out: Row[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Inserts rows (keys = column names, all rows the same keys), skipping any that hit a unique key; returns how
 * many were inserted (the dialect's `insertIgnoringDuplicates`).
 */
export async function insertIgnore(db: Db, table: string, rows: Row[]): Promise<number> {
  const first = rows[0];
  if (!first) return 0;
  const columns = Object.keys(first);
  const { verb, tail } = dialectFor(db).insertIgnoringDuplicates;
  const stmt: RowsStatement = { ...insertHead(db, verb, table, columns), tail };
  let inserted = 0;
  for (const part of chunks(rows, columns.length)) {
    inserted += (
      await execute(
        db,
        rowsStatementText(stmt, part.length),
        part.flatMap((row) => columns.map((c) => row[c])),
      )
    ).affected;
  }
  return inserted;
}

export interface UpsertOptions {
  /** A unique key's columns (SQLite's ON CONFLICT target). */
  conflict: string[];
  /** Columns set to the proposed value, or column → SQL expression (use `excluded()` for the proposed value). */
  update: string[] | Record<string, string>;
}

/**
 * Inserts rows (keys = column names, all rows the same keys) or, on a conflict with `conflict`, updates
 * `update`. MySQL's ON DUPLICATE KEY reacts to any unique key; SQLite only to the named one, so name the key you
 * expect.
 */
export async function upsert(db: Db, table: string, rows: Row[], opts: UpsertOptions): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const stmt = upsertStatement(db, table, columns, opts);
  for (const part of chunks(rows, columns.length)) {
    await execute(
      db,
      rowsStatementText(stmt, part.length),
      part.flatMap((row) => columns.map((c) => row[c])),
    );
  }
}

/** `upsert`'s statement for these columns, for writers that send the rows themselves (driver/prepared-rows.ts). */
export function upsertStatement(db: Db, table: string, columns: string[], opts: UpsertOptions): RowsStatement {
  const sets = Array.isArray(opts.update)
    ? Object.fromEntries(opts.update.map((c) => [c, excluded(db, c)]))
    : opts.update;
  const assignments = Object.entries(sets).map(([c, expr]) => `${q(db, c)} = ${expr}`);
  if (assignments.length === 0) throw new Error('upsert needs at least one column to update; use insertIgnore');
  const tail = dialectFor(db).upsertTail(
    opts.conflict.map((c) => q(db, c)),
    assignments,
  );
  return { ...insertHead(db, 'INSERT', table, columns), tail };
}
