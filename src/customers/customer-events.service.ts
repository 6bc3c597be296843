import { customerEvents } from '../storage/events/event.repository';
import type { Db } from '../storage/sql';
import type { TimelinePage } from './customers-api.types';

/** Opaque keyset cursor: the (occurred_at, id) of the last item of the previous page. */
export function encodeEventCursor(occurredAt: Date, id: string): string {
  return Buffer.from(`${occurredAt.getTime()}:${id}`, 'utf8').toString('base64url');
}

export function decodeEventCursor(cursor: string): { occurredAt: Date; id: string } | undefined {
  const m = /^(\d{1,15}):(\d{1,20})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { occurredAt: new Date(Number(m[1])), id: m[2]! } : undefined;
}

/**
 * `GET /api/v1/customers/:id/events` (DESIGN §8.3): the timeline newest first on idx_events_customer_time,
 * keyset-paged on (occurred_at, id) so pages stay stable while new events arrive.
 */
export async function timelinePage(
  db: Db,
  customerId: string,
  page: { limit: number; cursor?: { occurredAt: Date; id: string } },
): Promise<TimelinePage> {
  const rows = await customerEvents(db, customerId, page.limit + 1, page.cursor);
  const items = rows.slice(0, page.limit).map((e) => ({
    id: e.id,
    source: e.source,
    account: e.account,
    type: e.type,
    occurredAt: e.occurredAt.toISOString(),
    payload: e.payload,
  }));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > page.limit && last ? encodeEventCursor(new Date(last.occurredAt), last.id) : null,
  };
}
