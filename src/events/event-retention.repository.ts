import { type Db, execute, idString, select, toDbTime } from '../storage/sql';

/**
 * Timeline retention (DESIGN §8.1 `retention.eventsDays`) through the (type, occurred_at) index the segment rules
 * already use, so no index is added to the timeline's write path: the event types are visited by index seeks
 * (`MIN(type) > previous`, a loose index scan), and within a type the old rows are an index range.
 */
export async function nextEventType(db: Db, after: string | null): Promise<string | undefined> {
  const rows = await select<{ t: string | null }>(db, after === null ? 'SELECT MIN(type) AS t FROM events' : 'SELECT MIN(type) AS t FROM events WHERE type > ?', after === null ? [] : [after]);
  return rows[0]?.t ?? undefined;
}

/** Deletes up to `limit` events of `type` that occurred before `cutoff`, oldest first; returns how many. */
export async function deleteEventsBefore(db: Db, type: string, cutoff: Date, limit: number): Promise<number> {
  const due = await select<{ id: unknown }>(db, `SELECT id FROM events WHERE type = ? AND occurred_at < ? ORDER BY occurred_at LIMIT ${Math.trunc(limit)}`, [type, toDbTime(cutoff)]);
  if (due.length === 0) return 0;
  const ids = due.map((r) => idString(r.id));
  return (await execute(db, `DELETE FROM events WHERE id IN (${ids.map(() => '?').join(', ')})`, ids)).affected;
}
