import type { DataSource, EntityManager } from 'typeorm';
import { dialectFor } from '../../storage/dialect';

/**
 * Pins the index of a lookup by a list of customer ids. Without statistics both planners prefer the
 * (type, scope, …) / (corp_id, …) prefix of another index and scan a whole app's or corp's rows for every chunk
 * (bench:tags shows it once an account has tens of thousands of followers). MySQL/TiDB `FORCE INDEX`, SQLite
 * `INDEXED BY` (https://www.sqlite.org/lang_indexedby.html).
 */
export function forceIndex(db: DataSource | EntityManager, index: string): string {
  return dialectFor(db).indexHint(index);
}
