import path from 'path';
import type { AppContext } from '../app-context';
import { retryConflicts } from '../storage/conflict-retry';
import { isMysql } from '../storage/dialect';
import { InboxRepository, MAX_MYSQL_INSERT_ROWS } from './inbox.repository';
import { inboxSignal } from './inbox-signal';
import { GroupCommitInboxWriter, type InboxEntry, type InboxWriter } from './inbox-writer';
import { SqliteWalSync } from './sqlite-wal-sync';

/**
 * The inbox writer of one gateway (built once by src/services.ts, shared by every callback route), group-committing concurrent callbacks.
 * MySQL: two INSERTs at once on the pool (the driver is asynchronous; InnoDB syncs its log on commit). Two
 * multi-row `INSERT … ON DUPLICATE KEY UPDATE`s whose dedupe keys interleave can deadlock on the next-key locks
 * taken while checking for duplicates; InnoDB rolls the loser back whole, so it is run again rather than
 * answered 503 (https://dev.mysql.com/doc/refman/8.0/en/innodb-locks-set.html).
 * SQLite file: one INSERT at a time on the single connection, then an asynchronous fsync of the WAL before
 * the callers are answered (sqlite-wal-sync.ts); while it runs the next group is inserted. An in-memory
 * database has nothing to sync.
 */
export function createInboxWriter(app: AppContext): InboxWriter {
  const signal = inboxSignal(app.ds);
  const repo = new InboxRepository(app.ds);
  const mysql = isMysql(app.ds);
  const file = String(app.ds.options.database ?? ':memory:');
  let insertMany: (rows: InboxEntry[]) => Promise<void>;
  let maxInFlight: number;
  if (mysql) {
    insertMany = (rows) =>
      retryConflicts(app.ds, { operation: 'inbox.insert', attempts: 4 }, () =>
        repo.insertMany(rows, new Date(app.now())),
      );
    // Two INSERTs at once, not four: one commits while the next group gathers. Each statement costs the gateway
    // a socket write to the server plus the server's own statement and commit work, and more in flight only
    // makes the groups smaller, for no faster acks (bench:callbacks on MySQL).
    maxInFlight = Math.max(1, Math.min(2, app.config.database.poolSize - 2));
  } else if (file === ':memory:' || file === '') {
    insertMany = (rows) => repo.insertMany(rows, new Date(app.now()));
    maxInFlight = 1;
  } else {
    const wal = new SqliteWalSync(app.ds, path.resolve(file));
    insertMany = async (rows) => {
      await wal.prepare();
      await repo.insertMany(rows, new Date(app.now()));
      await wal.sync();
    };
    // Two groups in flight: a callback arriving while one group syncs waits for its own sync only, not for the
    // current one first (fsync latency, not CPU, bounds the rate at a fixed number of connections).
    maxInFlight = 2;
  }
  return new GroupCommitInboxWriter(insertMany, {
    maxBatch: mysql ? MAX_MYSQL_INSERT_ROWS : 200,
    maxBatchBytes: 4 * 1024 * 1024,
    maxInFlight,
    onCommit: () => signal.notify(),
  });
}
