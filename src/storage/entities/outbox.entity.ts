import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type OutboxStatus = 'pending' | 'in_flight' | 'done' | 'dead';

/**
 * A pending push to WeChat (DESIGN §5). `opKey` coalesces work on one remote object, e.g.
 * `oa:<appid>:<tagid>:add` or `wecom:<corp>:<staff>:<external_userid>`; `payload` is the batch.
 */
export interface OutboxRow {
  id: string;
  channel: string;
  account: string;
  opKey: string;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastErrcode: number | null;
  lastError: string | null;
  tagId: string | null;
  lockedBy: string | null;
  lockedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const OutboxEntity = new EntitySchema<OutboxRow>({
  name: 'Outbox',
  tableName: 'outbox',
  columns: {
    id: col.id(),
    channel: col.key('channel', 16),
    account: col.key('account', 64),
    opKey: col.key('op_key', 191),
    payload: col.json('payload'),
    status: col.key('status', 16, { default: 'pending' }),
    attempts: col.int('attempts', { default: 0 }),
    nextAttemptAt: col.timeNow('next_attempt_at'),
    lastErrcode: col.int('last_errcode', { nullable: true }),
    lastError: col.text('last_error', true),
    tagId: col.ref('tag_id', true),
    lockedBy: col.key('locked_by', 64, { nullable: true }),
    lockedUntil: col.time('locked_until', true),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
  },
  indices: [
    { name: 'idx_outbox_status_next', columns: ['status', 'nextAttemptAt'] },
    { name: 'idx_outbox_op_key_status', columns: ['opKey', 'status'] },
    { name: 'idx_outbox_tag_status', columns: ['tagId', 'status'] },
  ],
});
