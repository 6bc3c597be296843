import type { DialectCapabilities, ServerFlavor, SqlDialect } from './dialect';

/** Sessions run at time_zone +00:00 (driver/mysql-driver.ts), and UTC_TIMESTAMP does not depend on that anyway. */
export const MYSQL_NOW = 'UTC_TIMESTAMP(3)';
/** Column default for "created now" on MySQL (a DEFAULT clause cannot call UTC_TIMESTAMP). */
export const MYSQL_NOW_DEFAULT = 'CURRENT_TIMESTAMP(3)';

/** Leading `major.minor.patch` of a VERSION() string. */
export function versionNumbers(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = (version.match(/^(\d+)\.(\d+)\.(\d+)/)?.slice(1) ?? []).map(Number);
  return [major, minor, patch];
}

/** The MySQL family's shared SQL; mariadb.ts and tidb.ts differ only where their servers do. */
export function mysqlFamily(
  server: Exclude<ServerFlavor, 'sqlite'>,
  capabilities: Pick<DialectCapabilities, 'skipLocked'>,
  overrides: Partial<Pick<SqlDialect, 'statementSettings' | 'lockWaitSeconds'>> = {},
): SqlDialect {
  return {
    server,
    family: 'mysql',
    capabilities: {
      ...capabilities,
      rowLocks: true,
      updateOrderLimit: true,
      parenthesisedUnionParts: true,
    },
    now: MYSQL_NOW,
    forUpdate: ' FOR UPDATE',
    claimLock: capabilities.skipLocked ? ' FOR UPDATE SKIP LOCKED' : ' FOR UPDATE',
    // INSERT IGNORE is also the only form whose affected count tells inserts from duplicates with mysql2's FOUND_ROWS.
    insertIgnoringDuplicates: { verb: 'INSERT IGNORE', tail: '' },
    // A no-op update: only a duplicate key is ignored, unlike INSERT IGNORE which also downgrades other errors.
    ignoreDuplicateOf: () => ' ON DUPLICATE KEY UPDATE id = id',
    // ON DUPLICATE KEY reacts to any unique key; the conflict target is SQLite's only.
    upsertTail: (_conflict, assignments) => ` ON DUPLICATE KEY UPDATE ${assignments.join(', ')}`,
    excluded: (column) => `VALUES(${column})`,
    indexHint: (index) => `FORCE INDEX (${index})`,
    concat: (...exprs) => `CONCAT(${exprs.join(', ')})`,
    localDate: (column, offset) => `DATE_FORMAT(${column} + INTERVAL ${Math.trunc(offset)} MINUTE, '%Y-%m-%d')`,
    addDays: (column, days) => `(${column} + INTERVAL ${Math.trunc(days)} DAY)`,
    statementSettings: overrides.statementSettings ?? (() => ''),
    // MySQL rounds GET_LOCK's timeout to whole seconds: round up (https://dev.mysql.com/doc/refman/8.0/en/locking-functions.html).
    lockWaitSeconds: overrides.lockWaitSeconds ?? ((ms) => Math.ceil(ms / 1000)),
  };
}

/** MySQL 8: SKIP LOCKED from 8.0.1. */
export function mysqlDialect(version: string): SqlDialect {
  const [major, minor, patch] = versionNumbers(version);
  return mysqlFamily('mysql', { skipLocked: major > 8 || (major === 8 && (minor > 0 || patch >= 1)) });
}
