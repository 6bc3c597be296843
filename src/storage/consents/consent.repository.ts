import { dialectFor } from '../dialect';
import { type Db, execute, fromDbTime, idString, select } from '../sql';
import type { ConsentRow } from '../entities/consent.entity';

/** The purpose whose withdrawal keeps a person out of `rule` and `channel` tags (DESIGN §12). */
export const MARKETING = 'marketing';

/**
 * SQL over the customer alias `c`: true unless the customer has withdrawn the `marketing` consent on any channel.
 * Segment runs and channel codes test it before they tag anyone.
 */
export const MARKETING_ALLOWED = `NOT EXISTS (SELECT 1 FROM consents mk WHERE mk.customer_id = c.id AND mk.purpose = '${MARKETING}' AND mk.granted = 0)`;

export interface ConsentWrite {
  customerId: string;
  purpose: string;
  channel: string;
  granted: boolean;
  source: string;
  at: Date;
}

const COLUMNS = 'id, customer_id, purpose, channel, granted, source, at, updated_at';

function toRow(r: Record<string, unknown>): ConsentRow {
  return {
    id: idString(r.id),
    customerId: String(r.customer_id),
    purpose: String(r.purpose),
    channel: String(r.channel ?? ''),
    granted: Number(r.granted) === 1 || r.granted === true,
    source: String(r.source),
    at: fromDbTime(r.at)!,
    updatedAt: fromDbTime(r.updated_at)!,
  };
}

/** The customer's consents, purpose then channel. */
export async function consentsOf(db: Db, customerId: string): Promise<ConsentRow[]> {
  const rows = await select(db, `SELECT ${COLUMNS} FROM consents WHERE customer_id = ? ORDER BY purpose, channel, id`, [
    customerId,
  ]);
  return rows.map(toRow);
}

/**
 * Records the state of one (customer, purpose, channel), locking its row first: returns the state before (null
 * when there was none). A statement older than the stored one (`at` earlier) changes nothing and returns it, so
 * a late WeChat push never overrides a newer answer.
 */
export async function upsertConsent(
  db: Db,
  w: ConsentWrite,
  now: Date,
): Promise<{ before: ConsentRow | null; after: ConsentRow }> {
  const [current] = await select(
    db,
    `SELECT ${COLUMNS} FROM consents WHERE customer_id = ? AND purpose = ? AND channel = ?${dialectFor(db).forUpdate}`,
    [w.customerId, w.purpose, w.channel],
  );
  const before = current ? toRow(current) : null;
  if (before && before.at.getTime() > w.at.getTime()) return { before, after: before };
  if (before) {
    await execute(db, 'UPDATE consents SET granted = ?, source = ?, at = ?, updated_at = ? WHERE id = ?', [
      w.granted,
      w.source,
      w.at,
      now,
      before.id,
    ]);
    return { before, after: { ...before, granted: w.granted, source: w.source, at: w.at, updatedAt: now } };
  }
  const { insertId } = await execute(
    db,
    'INSERT INTO consents (customer_id, purpose, channel, granted, source, at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [w.customerId, w.purpose, w.channel, w.granted, w.source, w.at, now],
  );
  return { before: null, after: { id: String(insertId), ...w, updatedAt: now } };
}

/** Whether the customer has withdrawn the marketing consent on any channel. */
export async function marketingWithdrawn(db: Db, customerId: string): Promise<boolean> {
  const rows = await select(
    db,
    `SELECT 1 AS x FROM consents WHERE customer_id = ? AND purpose = '${MARKETING}' AND granted = 0`,
    [customerId],
  );
  return rows.length > 0;
}
