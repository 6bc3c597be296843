import path from 'path';
import type { DataSource } from 'typeorm';
import { retryConflicts } from '../conflict-retry';
import { dialectFor } from '../dialect';
import { SqliteWalSync } from '../driver/sqlite-wal-sync';
import { type InboxWrite, InboxRepository, MAX_MYSQL_INSERT_ROWS } from './inbox.repository';

/** How the callback path commits a group of inbox rows on this database, and how many groups may be in flight. */
export interface InboxIntake {
  insertMany(rows: InboxWrite[]): Promise<void>;
  maxBatch: number;
  maxInFlight: number;
}

/**
 * The group-commit INSERT of the callback path (DESIGN §6), chosen by the server behind `ds`:
 * MySQL: two INSERTs at once on the pool (the driver is asynchronous; InnoDB syncs its log on commit). Two
 * multi-row `INSERT … ON DUPLICATE KEY UPDATE`s whose dedupe keys interleave can deadlock on the next-key locks
 * taken while checking for duplicates; InnoDB rolls the loser back whole, so it is run again rather than
 * answered 503 (https://dev.mysql.com/doc/refman/8.0/en/innodb-locks-set.html).
 * SQLite file: one INSERT at a time on the single connection, then an asynchronous fsync of the WAL before
 * the callers are answered (driver/sqlite-wal-sync.ts); while it runs the next group is inserted. An in-memory
 * database has nothing to sync.
 */
export function inboxIntake(ds: DataSource, opts: { poolSize: number; now: () => number }): InboxIntake {
  const repo = new InboxRepository(ds);
  const now = (): Date => new Date(opts.now());
  if (dialectFor(ds).family === 'mysql') {
    return {
      insertMany: (rows) =>
        retryConflicts(ds, { operation: 'inbox.insert', attempts: 4 }, () => repo.insertMany(rows, now())),
      maxBatch: MAX_MYSQL_INSERT_ROWS,
      // Two INSERTs at once, not more: one commits while the next group gathers; more in flight only makes the
      // groups smaller.
      maxInFlight: Math.max(1, Math.min(2, opts.poolSize - 2)),
    };
  }
  const file = String(ds.options.database ?? ':memory:');
  if (file === ':memory:' || file === '')
    return { insertMany: (rows) => repo.insertMany(rows, now()), maxBatch: 200, maxInFlight: 1 };
  const wal = new SqliteWalSync(ds, path.resolve(file));
  return {
    insertMany: async (rows) => {
      await wal.prepare();
      await repo.insertMany(rows, now());
      await wal.sync();
    },
    maxBatch: 200,
    // Two groups in flight: a callback arriving while one group syncs waits for its own sync only, not for the
    // current one first (fsync latency, not CPU, bounds the rate at a fixed number of connections).
    maxInFlight: 2,
  };
}
