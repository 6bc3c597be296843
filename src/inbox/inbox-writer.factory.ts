import type { AppContext } from '../app-context';
import { inboxIntake } from '../storage/inbox/inbox-intake';
import { inboxSignal } from './inbox-signal';
import { GroupCommitInboxWriter, type InboxWriter } from './inbox-writer';

/**
 * The inbox writer of one gateway (built once by src/services.ts, shared by every callback route),
 * group-committing concurrent callbacks; storage chooses how a group is committed on this database
 * (storage/inbox/inbox-intake.ts).
 */
export function createInboxWriter(app: AppContext): InboxWriter {
  const signal = inboxSignal(app.ds);
  const intake = inboxIntake(app.ds, { poolSize: app.config.database.poolSize, now: () => app.now() });
  return new GroupCommitInboxWriter((rows) => intake.insertMany(rows), {
    maxBatch: intake.maxBatch,
    maxBatchBytes: 4 * 1024 * 1024,
    maxInFlight: intake.maxInFlight,
    onCommit: () => signal.notify(),
  });
}
