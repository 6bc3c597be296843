import { type Db, select } from '../sql';

/** Which of these dedupe keys the timeline already holds. */
export async function storedDedupeKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const placeholders = keys.map(() => '?').join(', ');
  const rows = await select<{ dedupe_key: string }>(db, `SELECT dedupe_key FROM events WHERE dedupe_key IN (${placeholders})`, [...keys]);
  return new Set(rows.map((r) => r.dedupe_key));
}
