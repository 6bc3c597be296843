import { type Db, execute, insertIgnore, select, toDbTime } from '../sql';

/**
 * The writes of erasing a person (DESIGN §7), each over the customer and the customers merged into it; the
 * erasure service runs them in one transaction, in its order.
 */

const marks = (ids: readonly string[]): string => ids.map(() => '?').join(', ');

/** Tables whose rows of an erased customer are deleted outright. */
export type ErasedTable =
  | 'events'
  | 'customer_tags'
  | 'wecom_follows'
  | 'oa_subscriptions'
  | 'customer_channels'
  | 'channel_activity'
  | 'customer_attributes'
  | 'customer_notes'
  | 'consents'
  | 'identity_links'
  | 'identities';

/**
 * Customers merged into this one, found through merge_log (indexed by survivor; customers.merged_into_id is not
 * indexed) and confirmed by their current state, so undone merges are left out.
 */
export async function customersMergedInto(db: Db, survivorId: string): Promise<string[]> {
  const rows = await select<{ id: unknown }>(
    db,
    'SELECT DISTINCT c.id FROM merge_log m JOIN customers c ON c.id = m.merged_id WHERE m.survivor_id = ? AND c.merged_into_id = ?',
    [survivorId, survivorId],
  );
  return rows.map((r) => String(r.id));
}

/** Records keyed hashes of erased identities; returns how many were new. */
export async function insertTombstones(
  db: Db,
  tombstones: readonly { hash: string; type: string; customerId: string }[],
  now: Date,
): Promise<number> {
  return insertIgnore(
    db,
    'erasure_tombstones',
    tombstones.map((t) => ({
      identity_hash: t.hash,
      identity_type: t.type,
      customer_id: t.customerId,
      created_at: toDbTime(now),
    })),
  );
}

export async function deleteRowsOfCustomers(db: Db, table: ErasedTable, ids: readonly string[]): Promise<number> {
  return (await execute(db, `DELETE FROM ${table} WHERE customer_id IN (${marks(ids)})`, [...ids])).affected;
}

/** Payments keep their amounts for the books but lose the payer and the customer; returns how many. */
export async function detachTransactions(db: Db, ids: readonly string[]): Promise<number> {
  return (
    await execute(
      db,
      `UPDATE transactions SET customer_id = NULL, payer_openid = NULL WHERE customer_id IN (${marks(ids)})`,
      [...ids],
    )
  ).affected;
}

export async function detachRefunds(db: Db, ids: readonly string[]): Promise<void> {
  await execute(db, `UPDATE refunds SET customer_id = NULL WHERE customer_id IN (${marks(ids)})`, [...ids]);
}

export async function deleteConflictsOf(db: Db, ids: readonly string[]): Promise<void> {
  await execute(
    db,
    `DELETE FROM identity_conflicts WHERE customer_id IN (${marks(ids)}) OR other_customer_id IN (${marks(ids)})`,
    [...ids, ...ids],
  );
}

/** merge_log keeps the ids but loses the evidence. */
export async function clearMergeEvidence(db: Db, ids: readonly string[]): Promise<void> {
  await execute(
    db,
    `UPDATE merge_log SET evidence = NULL WHERE survivor_id IN (${marks(ids)}) OR merged_id IN (${marks(ids)})`,
    [...ids, ...ids],
  );
}

/** The customer rows stay, as `erased`, without personal fields. */
export async function markErased(db: Db, ids: readonly string[], now: Date): Promise<void> {
  await execute(
    db,
    `UPDATE customers SET status = 'erased', display_name = NULL, avatar_url = NULL, phone_enc = NULL, updated_at = ? WHERE id IN (${marks(ids)})`,
    [toDbTime(now), ...ids],
  );
}
