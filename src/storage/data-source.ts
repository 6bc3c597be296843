import { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { parseDatabaseUrl } from './database-url';
import { detectServer } from './dialect';
import { entities } from './entities';
import { migrateUp } from './migrate';
import { mysql2WithSessionDefaults } from './driver/mysql-driver';
import { installSqliteGate } from './driver/sqlite-gate';

export type { Dialect } from './dialect';

export interface DatabaseOptions {
  url: string;
  /** MySQL connection pool size (config `database.poolSize`). */
  poolSize?: number;
  /** How long a statement waits for a busy SQLite database before DB_BUSY. */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_MS = 10_000;

/**
 * The DataSource for `sqlite:<path>` or `mysql://…` (DESIGN §3). Never synchronizes: migrations own the schema.
 * SQLite: WAL (readers do not block the writer), synchronous=FULL so an acked callback survives power loss,
 * a busy timeout, and the connection gate of driver/sqlite-gate.ts. No foreign keys: merges move rows between
 * customers and TiDB only recently enforces them; services keep references consistent.
 * MySQL: mysql2, utf8mb4, UTC sessions, bigint as strings.
 */
export function createDataSource(db: DatabaseOptions): DataSource {
  const target = parseDatabaseUrl(db.url);
  const busyMs = db.busyTimeoutMs ?? DEFAULT_BUSY_MS;
  const common = {
    entities,
    migrations,
    synchronize: false,
    migrationsTransactionMode: 'each' as const,
    logging: false,
  };
  if (target.kind === 'sqlite') {
    const ds = new DataSource({
      ...common,
      type: 'better-sqlite3',
      database: target.path,
      enableWAL: target.path !== ':memory:',
      timeout: busyMs,
      statementCacheSize: 500,
      prepareDatabase: (conn: { pragma(sql: string): unknown }) => {
        conn.pragma('synchronous = FULL');
      },
    });
    installSqliteGate(ds, busyMs);
    return ds;
  }
  return new DataSource({
    ...common,
    type: 'mysql',
    driver: mysql2WithSessionDefaults(),
    host: target.host,
    port: target.port,
    username: target.username,
    password: target.password,
    database: target.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: busyMs,
    // At least 2: withLock keeps one connection for the lock while the locked work queries on another.
    poolSize: Math.max(2, db.poolSize ?? 10),
    // mysql2 preallocates its per-connection statement cache at this size (four arrays of 16,000 slots by
    // default, ~0.5 MB a connection). Siyu prepares a few dozen statements per connection (hot-path reads,
    // inbox group commits of up to 32 rows, bulk sync blocks); an evicted one is closed and prepared again.
    // trace: false — mysql2 otherwise captures a stack trace before every statement to decorate a possible error;
    // errors keep their code and message, which is all the retry rules and logs use.
    extra: { maxPreparedStatements: 256, trace: false },
  });
}

/** Creates and initialises the DataSource; with `migrate: true` applies pending migrations (under a lock). */
export async function openDatabase(db: DatabaseOptions, opts: { migrate?: boolean } = {}): Promise<DataSource> {
  const ds = createDataSource(db);
  await ds.initialize();
  try {
    await detectServer(ds);
    if (opts.migrate) await migrateUp(ds);
  } catch (err) {
    await ds.destroy();
    throw err;
  }
  return ds;
}

/** Resolves when the database answers a trivial statement (readiness, DESIGN §8.2); rejects otherwise. */
export async function ping(ds: DataSource): Promise<void> {
  await ds.query('SELECT 1');
}
