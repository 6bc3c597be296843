import type { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { migrateDown, migrateUp, migrationsApplied, pendingMigrations } from '../../src/storage/migrate';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';

const TABLES = [
  'customers', 'identities', 'identity_links', 'merge_log', 'identity_conflicts', 'erasure_tombstones',
  'wecom_follows', 'oa_subscriptions', 'events', 'transactions', 'refunds', 'inbox', 'outbox',
  'access_tokens', 'sync_runs', 'bulk_jobs', 'tag_groups', 'tags', 'tag_bindings', 'customer_tags',
  'remote_tag_state', 'segments', 'api_keys', 'audit_log',
];

async function tablesPresent(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  try {
    const present: string[] = [];
    for (const t of TABLES) if (await runner.hasTable(t)) present.push(t);
    return present;
  } finally {
    await runner.release();
  }
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
    expect(await migrateUp(db.ds)).toHaveLength(migrations.length);
    expect(await migrationsApplied(db.ds)).toBe(true);
    expect(await tablesPresent(db.ds)).toEqual(TABLES);

    const reverted = await migrateDown(db.ds, migrations.length);
    expect(reverted).toHaveLength(migrations.length);
    expect(await tablesPresent(db.ds)).toEqual([]);
    expect(await migrationsApplied(db.ds)).toBe(false);

    expect(await migrateUp(db.ds)).toHaveLength(migrations.length);
    expect(await tablesPresent(db.ds)).toEqual(TABLES);
    expect(await migrationsApplied(db.ds)).toBe(true);
    expect(await migrateUp(db.ds)).toEqual([]);
  });
});
