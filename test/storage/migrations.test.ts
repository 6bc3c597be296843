import type { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { dialectFor } from '../../src/storage/dialect';
import { migrateDown, migrateUp, migrationsApplied, pendingMigrations } from '../../src/storage/migrate';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';

/** DESIGN §3 tables by contract name (later migrations add more; entities cover every table). */
const CONTRACT_TABLES = [
  'customers',
  'identities',
  'identity_links',
  'merge_log',
  'identity_conflicts',
  'wecom_follows',
  'oa_subscriptions',
  'events',
  'transactions',
  'inbox',
  'tags',
  'tag_groups',
  'customer_tags',
  'remote_tag_state',
  'outbox',
  'segments',
  'access_tokens',
  'sync_runs',
  'api_keys',
  'audit_log',
];

/** Every table of the test database except TypeORM's bookkeeping and SQLite internals, sorted. */
async function tablesPresent(ds: DataSource): Promise<string[]> {
  const sql =
    dialectFor(ds).family === 'mysql'
      ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()'
      : "SELECT name FROM sqlite_master WHERE type = 'table'";
  const rows = (await ds.query(sql)) as { name: string }[];
  return rows
    .map((r) => r.name)
    .filter((n) => n !== 'migrations' && !n.startsWith('sqlite_'))
    .sort();
}

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('reports not applied before migrating', async () => {
    expect(await migrationsApplied(db.ds)).toBe(false);
    expect(await pendingMigrations(db.ds)).toHaveLength(migrations.length);
  });

  it('runs up, down to nothing, and up again', async () => {
    const entityTables = db.ds.entityMetadatas.map((m) => m.tableName).sort();
    expect(await migrateUp(db.ds)).toHaveLength(migrations.length);
    expect(await migrationsApplied(db.ds)).toBe(true);
    expect(await tablesPresent(db.ds)).toEqual(entityTables);
    expect(entityTables).toEqual(expect.arrayContaining(CONTRACT_TABLES));

    const reverted = await migrateDown(db.ds, migrations.length + 1);
    expect(reverted).toEqual(migrations.map((M) => new M().name).reverse());
    expect(await tablesPresent(db.ds)).toEqual([]);
    expect(await migrationsApplied(db.ds)).toBe(false);

    expect(await migrateUp(db.ds)).toHaveLength(migrations.length);
    expect(await tablesPresent(db.ds)).toEqual(entityTables);
    expect(await migrationsApplied(db.ds)).toBe(true);
    expect(await migrateUp(db.ds)).toEqual([]);
  });
});
