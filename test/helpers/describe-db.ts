import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from './test-db';

/**
 * Registers beforeAll/afterAll that create and drop a fresh migrated test database for the enclosing
 * describe block (SQLite by default, MySQL with TEST_DATABASE_URL). Read `db.ds` inside tests.
 */
export function useTestDatabase(opts: { migrate?: boolean; poolSize?: number } = {}): {
  readonly ds: DataSource;
  readonly url: string;
} {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(opts);
  });
  afterAll(async () => {
    await db?.drop();
  });
  const current = (): TestDatabase => {
    if (!db) throw new Error('test database not created yet (use it inside a test)');
    return db;
  };
  return {
    get ds() {
      return current().ds;
    },
    get url() {
      return current().url;
    },
  };
}

/** `mysql` when TEST_DATABASE_URL points at MySQL/MariaDB, else `sqlite`. */
export const testDialect: 'mysql' | 'sqlite' = process.env.TEST_DATABASE_URL?.startsWith('mysql:') ? 'mysql' : 'sqlite';
