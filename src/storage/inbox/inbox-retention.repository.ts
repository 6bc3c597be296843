import { type Db, execute, idString, select, toDbTime } from '../sql';

/** Ids per statement: bounded IN lists and short row locks. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/**
 * Inbox rows whose processing reached these customers: the timeline events and identity links a row wrote name
 * it (`inbox_id`), through indexes on `customer_id`. Read before those rows are deleted.
 */
export async function inboxIdsOfCustomers(db: Db, customerIds: readonly string[]): Promise<string[]> {
  if (customerIds.length === 0) return [];
  const ids = new Set<string>();
  for (const part of chunks(customerIds)) {
    const rows = await select<{ inbox_id: unknown }>(
      db,
      `SELECT inbox_id FROM events WHERE customer_id IN (${marks(part.length)}) AND inbox_id IS NOT NULL
       UNION SELECT inbox_id FROM identity_links WHERE customer_id IN (${marks(part.length)}) AND inbox_id IS NOT NULL`,
      [...part, ...part],
    );
    for (const r of rows) ids.add(idString(r.inbox_id));
  }
  return [...ids];
}

/** Inbox rows whose dedupe key starts with one of `prefixes`: a range of the unique key each, whatever the status. */
export async function inboxIdsByKeyPrefix(db: Db, prefixes: readonly string[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const prefix of prefixes) {
    const like = `${prefix.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    for (const r of await select<{ id: unknown }>(db, "SELECT id FROM inbox WHERE dedupe_key LIKE ? ESCAPE '!'", [
      like,
    ]))
      ids.add(idString(r.id));
  }
  return [...ids];
}

/** Deletes rows by id (erasure, DESIGN §12): raw body, parsed events and the dedupe key, which may hold an openid. */
export async function deleteInboxRows(db: Db, ids: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const part of chunks(ids))
    deleted += (await execute(db, `DELETE FROM inbox WHERE id IN (${marks(part.length)})`, part)).affected;
  return deleted;
}

/**
 * Empties `raw` and `events` of up to `limit` rows processed before `cutoff` (DESIGN §12), oldest first, and
 * marks them; the dedupe key and metadata stay so WeChat's retries are still recognised. Only `done` rows: a
 * failed row keeps its body for an operator's retry. One short statement per batch; returns the rows emptied.
 */
export async function purgeInboxBodies(db: Db, cutoff: Date, now: Date, limit: number): Promise<number> {
  const due = await select<{ id: unknown }>(
    db,
    `SELECT id FROM inbox WHERE body_purged_at IS NULL AND processed_at < ? AND status = 'done' ORDER BY processed_at LIMIT ${Math.trunc(limit)}`,
    [toDbTime(cutoff)],
  );
  if (due.length === 0) return 0;
  const ids = due.map((r) => idString(r.id));
  const { affected } = await execute(
    db,
    `UPDATE inbox SET raw = '', events = NULL, body_purged_at = ? WHERE id IN (${marks(ids.length)}) AND status = 'done' AND body_purged_at IS NULL`,
    [toDbTime(now), ...ids],
  );
  return affected;
}
