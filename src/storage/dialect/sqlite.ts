import type { SqlDialect } from './dialect';

/**
 * SQLite's "now" matches the text TypeORM writes for `datetime` columns (`YYYY-MM-DD HH:MM:SS.SSS`), so
 * comparisons stay lexicographic.
 */
export const SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f','now')";

/** Embedded SQLite: one writer at a time (driver/sqlite-gate.ts), so no row locks and no claims to skip. */
export const sqliteDialect: SqlDialect = {
  server: 'sqlite',
  family: 'sqlite',
  capabilities: {
    skipLocked: false,
    rowLocks: false,
    updateOrderLimit: false,
    parenthesisedUnionParts: false,
  },
  now: SQLITE_NOW,
  forUpdate: '',
  claimLock: '',
  insertIgnoringDuplicates: { verb: 'INSERT', tail: ' ON CONFLICT DO NOTHING' },
  ignoreDuplicateOf: (key) => ` ON CONFLICT (${key.join(', ')}) DO NOTHING`,
  upsertTail: (conflict, assignments) =>
    ` ON CONFLICT (${conflict.join(', ')}) DO UPDATE SET ${assignments.join(', ')}`,
  excluded: (column) => `excluded.${column}`,
  // https://www.sqlite.org/lang_indexedby.html
  indexHint: (index) => `INDEXED BY ${index}`,
  concat: (...exprs) => exprs.join(' || '),
  localDate: (column, offset) =>
    `strftime('%Y-%m-%d', ${column}, '${offset >= 0 ? '+' : ''}${Math.trunc(offset)} minutes')`,
  // Times are `YYYY-MM-DD HH:MM:SS.SSS` text: the same form keeps the comparison textual.
  addDays: (column, days) => `strftime('%Y-%m-%d %H:%M:%f', ${column}, '+${Math.trunc(days)} days')`,
  statementSettings: () => '',
  lockWaitSeconds: (ms) => ms / 1000,
};
