import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type RefreshQueueStatus = 'pending' | 'running' | 'done' | 'failed';

/**
 * A re-read a callback hinted at: `externalcontact/get` of a relation, `user/info` of an
 * openid. `pendingKey` (`kind|account|subject`) is set while the row waits or runs and null once done, so the
 * unique key coalesces a burst of hints into one read; `hintedAt` moves on every hint.
 */
export interface RefreshQueueRow {
  id: string;
  kind: string;
  account: string;
  subject: string;
  pendingKey: string | null;
  status: RefreshQueueStatus;
  attempts: number;
  nextAttemptAt: Date;
  hintedAt: Date;
  lockedBy: string | null;
  lockedUntil: Date | null;
  claimToken: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  doneAt: Date | null;
}

export const RefreshQueueEntity = new EntitySchema<RefreshQueueRow>({
  name: 'RefreshQueue',
  tableName: 'refresh_queue',
  columns: {
    id: col.id(),
    kind: col.key('kind', 32),
    account: col.key('account', 64),
    subject: col.key('subject', 128),
    pendingKey: col.key('pending_key', 191, { nullable: true }),
    status: col.key('status', 16, { default: 'pending' }),
    attempts: col.int('attempts', { default: 0 }),
    nextAttemptAt: col.timeNow('next_attempt_at'),
    hintedAt: col.timeNow('hinted_at'),
    lockedBy: col.key('locked_by', 64, { nullable: true }),
    lockedUntil: col.time('locked_until', true),
    claimToken: col.key('claim_token', 32, { nullable: true }),
    lastError: col.text('last_error', true),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
    doneAt: col.time('done_at', true),
  },
  uniques: [{ name: 'uq_refresh_queue_pending_key', columns: ['pendingKey'] }],
  indices: [
    { name: 'idx_refresh_queue_status_next', columns: ['status', 'nextAttemptAt'] },
    { name: 'idx_refresh_queue_claim_token', columns: ['claimToken'] },
    { name: 'idx_refresh_queue_subject', columns: ['subject'] },
  ],
});
