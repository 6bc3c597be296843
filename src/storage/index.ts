export { createDataSource, openDatabase, type DatabaseOptions } from './data-source';
export {
  dialectFor,
  detectServer,
  serverFlavor,
  serverVersion,
  type Dialect,
  type ServerFlavor,
  type SqlDialect,
} from './dialect';
export { parseDatabaseUrl, redactDatabaseUrl, type DatabaseTarget } from './database-url';
export { StorageError, type StorageErrorCode } from './errors';
export { migrateUp, migrateDown, pendingMigrations, migrationsApplied, appliedMigrations } from './migrate';
export { withLock, tryLease, waitForLease, type LockOptions, type LeaseResult } from './locks';
export { newCustomerId, uuidv7 } from './ids';
export * from './entities';
export * from './sql';
/** The database handle and a transaction's handle, passed along by modules that never look inside them. */
export type { DataSource, EntityManager } from 'typeorm';
