import { deleteRowsOfCustomers, type ErasedTable } from '../customers/erasure.repository';
import { type Db, execute, select } from '../sql';

/** What an anonymous visitor can have gathered before they went quiet: behaviour, and tags or notes given to them. */
const THEIR_ROWS: readonly ErasedTable[] = [
  'events',
  'customer_tags',
  'customer_channels',
  'channel_activity',
  'customer_attributes',
  'customer_notes',
  'consents',
  'identity_links',
  'identities',
];

/**
 * Up to `limit` visitors known only by an anonymous id (DESIGN §11), created before `cutoff` and with no timeline
 * event since, removed with everything they gathered: no tombstone, since nobody was ever identified and the same
 * browser may come back as a new visitor. Driven from the `anonymous_id` identities (an index range), so the scan
 * never reads the other customers. Run it in a transaction; returns the customers removed.
 */
export async function purgeAnonymousBatch(db: Db, cutoff: Date, limit: number): Promise<number> {
  const rows = await select<{ customer_id: unknown }>(
    db,
    `SELECT DISTINCT i.customer_id FROM identities i JOIN customers c ON c.id = i.customer_id
      WHERE i.type = 'anonymous_id' AND c.status = 'active' AND c.created_at < ?
        AND NOT EXISTS (SELECT 1 FROM identities kn WHERE kn.customer_id = c.id AND kn.type <> 'anonymous_id')
        AND NOT EXISTS (SELECT 1 FROM events e WHERE e.customer_id = c.id AND e.occurred_at >= ?)
      ORDER BY i.customer_id LIMIT ${Math.trunc(limit)}`,
    [cutoff, cutoff],
  );
  const ids = rows.map((r) => String(r.customer_id));
  if (ids.length === 0) return 0;
  for (const table of THEIR_ROWS) await deleteRowsOfCustomers(db, table, ids);
  await execute(db, `DELETE FROM customers WHERE id IN (${ids.map(() => '?').join(', ')}) AND status = 'active'`, ids);
  return ids.length;
}
