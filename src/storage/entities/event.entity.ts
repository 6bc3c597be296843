import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** One entry of a customer's timeline. `source` is the channel; `dedupeKey` follows DESIGN §6. */
export interface EventRow {
  id: string;
  customerId: string | null;
  source: string;
  account: string;
  type: string;
  occurredAt: Date;
  payload: Record<string, unknown> | null;
  dedupeKey: string | null;
  inboxId: string | null;
  createdAt: Date;
}

export const EventEntity = new EntitySchema<EventRow>({
  name: 'Event',
  tableName: 'events',
  columns: {
    id: col.id(),
    customerId: col.key('customer_id', 36, { nullable: true }),
    source: col.key('source', 32),
    account: col.key('account', 64),
    type: col.key('type', 64),
    occurredAt: col.time('occurred_at'),
    payload: col.json('payload', true),
    dedupeKey: col.key('dedupe_key', 191, { nullable: true }),
    inboxId: col.ref('inbox_id', true),
    createdAt: col.createdAt(),
  },
  uniques: [{ name: 'uq_events_dedupe_key', columns: ['dedupeKey'] }],
  indices: [
    { name: 'idx_events_customer_time', columns: ['customerId', 'occurredAt'] },
    { name: 'idx_events_type_time', columns: ['type', 'occurredAt', 'customerId'] },
  ],
});
