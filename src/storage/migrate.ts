import type { DataSource, MigrationInterface } from 'typeorm';
import { StorageError } from './errors';
import { withLock } from './locks';

const MIGRATIONS_TABLE = 'migrations';
/** Instances starting together on one MySQL wait for whichever runs the migrations first. */
const MIGRATION_LOCK_WAIT_MS = 120_000;

function migrationName(m: MigrationInterface): string {
  return m.name ?? m.constructor.name;
}

/** Names of applied migrations, oldest first; [] when the migrations table does not exist yet. */
export async function appliedMigrations(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  try {
    if (!(await runner.hasTable(MIGRATIONS_TABLE))) return [];
    const table = ds.driver.escape(MIGRATIONS_TABLE);
    const rows = (await runner.query(`SELECT name FROM ${table} ORDER BY id`)) as { name: string }[];
    return rows.map((r) => r.name);
  } finally {
    await runner.release();
  }
}

/** Names of migrations in migrations/index.ts not yet applied, oldest first. */
export async function pendingMigrations(ds: DataSource): Promise<string[]> {
  const applied = new Set(await appliedMigrations(ds));
  return ds.migrations.map(migrationName).filter((n) => !applied.has(n));
}

/** True when every known migration is applied (used by /readyz). Throws when the database does not answer. */
export async function migrationsApplied(ds: DataSource): Promise<boolean> {
  return (await pendingMigrations(ds)).length === 0;
}

/**
 * Applies pending migrations under the `migrations` lock; returns the names applied. This is the one use of
 * GET_LOCK left (locks.ts withLock), on purpose: the lease table is itself made by a migration, so a lease
 * cannot guard the first run. The lock excludes gateways starting together on one MySQL server; on a Galera
 * cluster it is node-local, so there the schema is migrated once from one node (`siyu migrate`, or the first
 * gateway started alone) and the other gateways start with `database.migrate: false` (README "Scale out").
 */
export async function migrateUp(ds: DataSource): Promise<string[]> {
  const applied = await withLock(
    ds,
    'migrations',
    async () => (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name),
    { waitMs: MIGRATION_LOCK_WAIT_MS },
  );
  if (applied === undefined) {
    throw new StorageError('MIGRATION_FAILED', `migration lock not acquired within ${MIGRATION_LOCK_WAIT_MS} ms`);
  }
  return applied;
}

/** Reverts the last `steps` applied migrations, newest first; returns the names reverted. */
export async function migrateDown(ds: DataSource, steps = 1): Promise<string[]> {
  const reverted = await withLock(
    ds,
    'migrations',
    async () => {
      const done: string[] = [];
      for (let i = 0; i < steps; i++) {
        const last = (await appliedMigrations(ds)).at(-1);
        if (last === undefined) break;
        await ds.undoLastMigration({ transaction: 'each' });
        done.push(last);
      }
      return done;
    },
    { waitMs: MIGRATION_LOCK_WAIT_MS },
  );
  if (reverted === undefined) {
    throw new StorageError('MIGRATION_FAILED', `migration lock not acquired within ${MIGRATION_LOCK_WAIT_MS} ms`);
  }
  return reverted;
}
