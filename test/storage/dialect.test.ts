import { mariadbDialect } from '../../src/storage/dialect/mariadb';
import { mysqlDialect } from '../../src/storage/dialect/mysql';
import { sqliteDialect } from '../../src/storage/dialect/sqlite';
import { tidbDialect } from '../../src/storage/dialect/tidb';
import { dialectFor } from '../../src/storage/dialect';
import { useTestDatabase } from '../helpers/describe-db';

describe('dialects', () => {
  it('claims with SKIP LOCKED only where the server implements it', () => {
    expect(mysqlDialect('8.0.0').claimLock).toBe(' FOR UPDATE');
    expect(mysqlDialect('8.0.1').claimLock).toBe(' FOR UPDATE SKIP LOCKED');
    expect(mariadbDialect('10.5.22-MariaDB').capabilities.skipLocked).toBe(false);
    expect(mariadbDialect('10.6.0-MariaDB').capabilities.skipLocked).toBe(true);
    expect(mariadbDialect('11.4.2-MariaDB').capabilities.skipLocked).toBe(true);
    expect(tidbDialect.claimLock).toBe(' FOR UPDATE');
    expect(sqliteDialect.claimLock).toBe('');
    expect(sqliteDialect.forUpdate).toBe('');
  });

  it('scopes settings to one statement on MariaDB only', () => {
    expect(mariadbDialect('10.11.6-MariaDB').statementSettings({ eq_range_index_dive_limit: 1 })).toBe(
      'SET STATEMENT eq_range_index_dive_limit = 1 FOR ',
    );
    expect(mysqlDialect('8.4.0').statementSettings({ eq_range_index_dive_limit: 1 })).toBe('');
    expect(sqliteDialect.statementSettings({ eq_range_index_dive_limit: 1 })).toBe('');
  });

  it('waits for GET_LOCK in whole seconds on MySQL, fractions on MariaDB', () => {
    expect(mysqlDialect('8.0.36').lockWaitSeconds(200)).toBe(1);
    expect(mariadbDialect('10.11.6-MariaDB').lockWaitSeconds(200)).toBe(0.2);
  });

  it('writes the conflict clauses of each family', () => {
    expect(sqliteDialect.ignoreDuplicateOf(['dedupe_key'])).toBe(' ON CONFLICT (dedupe_key) DO NOTHING');
    expect(tidbDialect.ignoreDuplicateOf(['dedupe_key'])).toBe(' ON DUPLICATE KEY UPDATE id = id');
    expect(sqliteDialect.upsertTail(['"k"'], ['"v" = excluded."v"'])).toBe(
      ' ON CONFLICT ("k") DO UPDATE SET "v" = excluded."v"',
    );
    expect(mysqlDialect('8.0.36').upsertTail(['`k`'], ['`v` = VALUES(`v`)'])).toBe(
      ' ON DUPLICATE KEY UPDATE `v` = VALUES(`v`)',
    );
  });
});

describe('dialectFor', () => {
  const db = useTestDatabase();

  it('picks the dialect of the server the test database runs on', () => {
    const dialect = dialectFor(db.ds);
    expect(dialect.family).toBe(db.ds.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql');
    expect(dialectFor(db.ds.manager)).toBe(dialect);
  });
});
