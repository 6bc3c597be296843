/** The two SQL families Siyu writes for (DESIGN §3): TiDB and MariaDB speak the MySQL family. */
export type Dialect = 'mysql' | 'sqlite';

/** The servers Siyu runs on; each has its own dialect object (sqlite.ts, mysql.ts, mariadb.ts, tidb.ts). */
export type ServerFlavor = 'sqlite' | 'mysql' | 'mariadb' | 'tidb';

/** What a server can do, where the code picks a different statement shape by it. */
export interface DialectCapabilities {
  /** `SELECT … FOR UPDATE SKIP LOCKED` works as documented (claims without waiting on other claimers). */
  skipLocked: boolean;
  /** `SELECT … FOR UPDATE` takes row locks; false on SQLite, whose single writer already serialises writers. */
  rowLocks: boolean;
  /** `UPDATE … ORDER BY … LIMIT n` (the portable claim in one statement, no subquery). */
  updateOrderLimit: boolean;
  /** A compound SELECT's parts may be parenthesised, each with its own LIMIT. */
  parenthesisedUnionParts: boolean;
}

/**
 * One server's SQL: its capabilities and the named intents the storage layer asks for, so no other file
 * branches on which server it talks to. Strings are SQL fragments; identifiers passed in are already quoted.
 */
export interface SqlDialect {
  readonly server: ServerFlavor;
  readonly family: Dialect;
  readonly capabilities: DialectCapabilities;
  /** UTC now with milliseconds, as an SQL expression. */
  readonly now: string;
  /** Appended to a SELECT that must lock the rows it reads inside a transaction ('' where writers are serialised). */
  readonly forUpdate: string;
  /** Appended to a claiming SELECT: skip rows other claimers hold where the server can, else lock them. */
  readonly claimLock: string;
  /** An INSERT that skips rows hitting any unique key: `${verb} INTO t (…) VALUES …${tail}`. */
  readonly insertIgnoringDuplicates: { verb: string; tail: string };
  /** Tail of an INSERT that ignores a conflict on this one unique key only (other errors still fail). */
  ignoreDuplicateOf(key: readonly string[]): string;
  /** Tail of an upsert: on a conflict with `conflict`, apply `assignments` (`col = expr`). */
  upsertTail(conflict: readonly string[], assignments: readonly string[]): string;
  /** The value the conflicting insert proposed for `column`, inside an upsert's assignments. */
  excluded(column: string): string;
  /** Pins a table's index in a FROM clause (written after the table name). */
  indexHint(index: string): string;
  /** String concatenation of SQL expressions. */
  concat(...exprs: string[]): string;
  /** `YYYY-MM-DD` of a UTC datetime column shifted by `offsetMinutes`. */
  localDate(column: string, offsetMinutes: number): string;
  /** A UTC datetime column plus whole days, comparable with the column (and with bound times). */
  addDays(column: string, days: number): string;
  /** Prefix running one statement with these server settings where the server has such a form, else ''. */
  statementSettings(settings: Readonly<Record<string, number>>): string;
  /** GET_LOCK's timeout argument for a wait of `ms`. */
  lockWaitSeconds(ms: number): number;
}
