import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type InboxStatus = 'pending' | 'processing' | 'done' | 'failed';

/** An accepted callback, committed before the ack (DESIGN §6). `events` holds the parsed NormalizedEvents. */
export interface InboxRow {
  id: string;
  account: string;
  channel: string;
  kind: string;
  dedupeKey: string;
  raw: string;
  events: unknown[] | null;
  status: InboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lockedBy: string | null;
  lockedUntil: Date | null;
  /** The claim that took the row last (storage/claim.ts). */
  claimToken: string | null;
  error: string | null;
  receivedAt: Date;
  processedAt: Date | null;
  /** When retention (DESIGN §12) emptied `raw` and `events`; the row stays for deduplication. */
  bodyPurgedAt: Date | null;
}

export const InboxEntity = new EntitySchema<InboxRow>({
  name: 'Inbox',
  tableName: 'inbox',
  columns: {
    id: col.id(),
    account: col.key('account', 64),
    channel: col.key('channel', 32),
    kind: col.key('kind', 64),
    dedupeKey: col.key('dedupe_key', 191),
    raw: col.text('raw'),
    events: col.json('events', true),
    status: col.key('status', 16, { default: 'pending' }),
    attempts: col.int('attempts', { default: 0 }),
    nextAttemptAt: col.timeNow('next_attempt_at'),
    lockedBy: col.key('locked_by', 64, { nullable: true }),
    lockedUntil: col.time('locked_until', true),
    claimToken: col.key('claim_token', 32, { nullable: true }),
    error: col.text('error', true),
    receivedAt: col.createdAt('received_at'),
    processedAt: col.time('processed_at', true),
    bodyPurgedAt: col.time('body_purged_at', true),
  },
  uniques: [{ name: 'uq_inbox_dedupe_key', columns: ['dedupeKey'] }],
  indices: [
    { name: 'idx_inbox_status_next', columns: ['status', 'nextAttemptAt'] },
    { name: 'idx_inbox_claim_token', columns: ['claimToken'] },
    { name: 'idx_inbox_body_retention', columns: ['bodyPurgedAt', 'processedAt'] },
  ],
});
