import type { AppContext } from '../app-context';
import { isMysql } from '../storage/dialect';
import { InboxRepository } from './inbox.repository';
import { inboxSignal } from './inbox-signal';
import { GroupCommitInboxWriter, type InboxWriter } from './inbox-writer';

const writers = new WeakMap<AppContext, InboxWriter>();

/**
 * The inbox writer of one gateway (shared by every callback route). SQLite has one writer connection, so one
 * INSERT at a time gathers everything that queued behind it; MySQL runs a few at once on the pool.
 */
export function inboxWriterFor(app: AppContext): InboxWriter {
  let writer = writers.get(app);
  if (!writer) {
    const repo = new InboxRepository(app.ds);
    const signal = inboxSignal(app.ds);
    const mysql = isMysql(app.ds);
    writer = new GroupCommitInboxWriter((rows) => repo.insertMany(rows, new Date(app.now())), {
      maxBatch: 200,
      maxBatchBytes: 4 * 1024 * 1024,
      maxInFlight: mysql ? Math.max(1, Math.min(4, app.config.database.poolSize - 2)) : 1,
      onCommit: () => signal.notify(),
    });
    writers.set(app, writer);
  }
  return writer;
}
