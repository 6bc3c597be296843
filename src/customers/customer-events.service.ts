import { type Db, fromDbTime, fromJsonText, idString, select, toDbTime } from '../storage/sql';
import type { TimelineItem, TimelinePage } from './customers-api.types';

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
export async function timelinePage(db: Db, customerId: string, page: { limit: number; cursor?: { occurredAt: Date; id: string } }): Promise<TimelinePage> {
  const params: unknown[] = [customerId];
  let after = '';
  if (page.cursor) {
    const at = toDbTime(page.cursor.occurredAt);
    after = ' AND (occurred_at < ? OR (occurred_at = ? AND id < ?))';
    params.push(at, at, page.cursor.id);
  }
  const rows = await select(
    db,
    `SELECT id, source, account, type, occurred_at, payload FROM events WHERE customer_id = ?${after} ORDER BY occurred_at DESC, id DESC LIMIT ${Math.trunc(page.limit) + 1}`,
    params,
  );
  const items = rows.slice(0, page.limit).map((e) => ({
    id: idString(e.id),
    source: String(e.source),
    account: String(e.account),
    type: String(e.type),
    occurredAt: fromDbTime(e.occurred_at)!.toISOString(),
    payload: fromJsonText(e.payload),
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeEventCursor(new Date(last.occurredAt), last.id) : null };
}
