import type { EventRow } from '../entities/event.entity';
import { dialectFor } from '../dialect';
import { type Db, execute, fromDbTime, fromJsonText, idString, select, toDbTime } from '../sql';

export type NewEvent = Omit<EventRow, 'id' | 'createdAt'>;

const EVENT_COLUMNS = 'customer_id, source, account, type, occurred_at, payload, dedupe_key, inbox_id';
const EVENTS_PER_INSERT = 500;

/**
 * Inserts entries, a few hundred per statement, each unless its dedupe_key is already there (only that key's
 * conflict is ignored).
 */
export async function insertEvents(db: Db, events: readonly NewEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += EVENTS_PER_INSERT) {
    const part = events.slice(i, i + EVENTS_PER_INSERT);
    const values = part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    await execute(
      db,
      `INSERT INTO events (${EVENT_COLUMNS}) VALUES ${values}${dialectFor(db).ignoreDuplicateOf(['dedupe_key'])}`,
      part.flatMap((e) => [e.customerId, e.source, e.account, e.type, e.occurredAt, e.payload, e.dedupeKey, e.inboxId]),
    );
  }
}

export type TimelineEvent = Pick<EventRow, 'id' | 'source' | 'account' | 'type' | 'occurredAt' | 'payload'>;

/**
 * A customer's timeline newest first on idx_events_customer_time, keyset-paged on (occurred_at, id): up to
 * `limit` events older than `before`.
 */
export async function customerEvents(
  db: Db,
  customerId: string,
  limit: number,
  before?: { occurredAt: Date; id: string },
): Promise<TimelineEvent[]> {
  const params: unknown[] = [customerId];
  let after = '';
  if (before) {
    const at = toDbTime(before.occurredAt);
    after = ' AND (occurred_at < ? OR (occurred_at = ? AND id < ?))';
    params.push(at, at, before.id);
  }
  const rows = await select(
    db,
    `SELECT id, source, account, type, occurred_at, payload FROM events WHERE customer_id = ?${after} ORDER BY occurred_at DESC, id DESC LIMIT ${Math.trunc(limit)}`,
    params,
  );
  return rows.map((e) => ({
    id: idString(e.id),
    source: String(e.source),
    account: String(e.account),
    type: String(e.type),
    occurredAt: fromDbTime(e.occurred_at)!,
    payload: fromJsonText<Record<string, unknown>>(e.payload),
  }));
}

/** Which of these dedupe keys the timeline already holds. */
export async function storedDedupeKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const placeholders = keys.map(() => '?').join(', ');
  const rows = await select<{ dedupe_key: string }>(
    db,
    `SELECT dedupe_key FROM events WHERE dedupe_key IN (${placeholders})`,
    [...keys],
  );
  return new Set(rows.map((r) => r.dedupe_key));
}

/**
 * Timeline retention (DESIGN §8.1 `retention.eventsDays`) through the (type, occurred_at) index the segment rules
 * already use, so no index is added to the timeline's write path: the event types are visited by index seeks
 * (`MIN(type) > previous`, a loose index scan), and within a type the old rows are an index range.
 */
export async function nextEventType(db: Db, after: string | null): Promise<string | undefined> {
  const rows = await select<{ t: string | null }>(
    db,
    after === null ? 'SELECT MIN(type) AS t FROM events' : 'SELECT MIN(type) AS t FROM events WHERE type > ?',
    after === null ? [] : [after],
  );
  return rows[0]?.t ?? undefined;
}

/** Deletes up to `limit` events of `type` that occurred before `cutoff`, oldest first; returns how many. */
export async function deleteEventsBefore(db: Db, type: string, cutoff: Date, limit: number): Promise<number> {
  const due = await select<{ id: unknown }>(
    db,
    `SELECT id FROM events WHERE type = ? AND occurred_at < ? ORDER BY occurred_at LIMIT ${Math.trunc(limit)}`,
    [type, toDbTime(cutoff)],
  );
  if (due.length === 0) return 0;
  const ids = due.map((r) => idString(r.id));
  return (await execute(db, `DELETE FROM events WHERE id IN (${ids.map(() => '?').join(', ')})`, ids)).affected;
}
