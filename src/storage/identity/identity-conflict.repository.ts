import type { IdentityType } from './identity-types';
import { type Db, execute, fromDbTime, fromJsonText, idString, select } from '../sql';
import { selectNewestFirst } from '../newest-first';
import type { IdentityConflictRow } from '../entities';

/** A link identity resolution refused (DESIGN §4), as its plan hands it over to be recorded. */
export interface PlannedConflict {
  type: IdentityType;
  scope: string;
  existingValue: string;
  refusedValue: string;
  /** The customer that would have received the second value; null = the customer this plan creates. */
  customerId: string | null;
  otherCustomerId: string | null;
  reason: 'second_value' | 'separated';
}

/** A stored conflict, as the entity describes it (read here with plain SQL). */
export type ConflictRecord = IdentityConflictRow;

const COLUMNS =
  'id, type, scope, existing_value, refused_value, customer_id, other_customer_id, evidence, resolved, created_at';

function toConflict(r: Record<string, unknown>): ConflictRecord {
  return {
    id: idString(r.id),
    type: r.type as IdentityType,
    scope: String(r.scope),
    existingValue: String(r.existing_value),
    refusedValue: String(r.refused_value),
    customerId: String(r.customer_id),
    otherCustomerId: (r.other_customer_id as string | null) ?? null,
    evidence: fromJsonText<Record<string, unknown>>(r.evidence),
    resolved: Number(r.resolved) === 1 || r.resolved === true,
    createdAt: fromDbTime(r.created_at)!,
  };
}

/**
 * Writes the refused links of one resolution. The same refusal seen again (same values, same customers, still
 * open) is not written twice: the same evidence twice changes nothing (DESIGN §4). Returns rows written.
 */
export async function recordConflicts(
  db: Db,
  conflicts: readonly PlannedConflict[],
  survivorId: string,
  evidence: Record<string, unknown>,
  now: Date,
): Promise<number> {
  let written = 0;
  for (const c of conflicts) {
    const customerId = c.customerId ?? survivorId;
    const open = await select(
      db,
      `SELECT id FROM identity_conflicts WHERE type = ? AND scope = ? AND existing_value = ? AND refused_value = ? AND customer_id = ?
         AND ${c.otherCustomerId ? 'other_customer_id = ?' : 'other_customer_id IS NULL'} AND resolved = 0 LIMIT 1`,
      [c.type, c.scope, c.existingValue, c.refusedValue, customerId, ...(c.otherCustomerId ? [c.otherCustomerId] : [])],
    );
    if (open.length > 0) continue;
    await execute(
      db,
      'INSERT INTO identity_conflicts (type, scope, existing_value, refused_value, customer_id, other_customer_id, evidence, resolved, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)',
      [
        c.type,
        c.scope,
        c.existingValue,
        c.refusedValue,
        customerId,
        c.otherCustomerId,
        { ...evidence, reason: c.reason },
        now,
      ],
    );
    written++;
  }
  return written;
}

/** Newest first, `beforeId` as the cursor; `resolved` filters when given. */
export async function listConflicts(
  db: Db,
  opts: { limit: number; beforeId?: string; resolved?: boolean; customerId?: string },
): Promise<ConflictRecord[]> {
  const rows = await selectNewestFirst(
    db,
    'identity_conflicts',
    COLUMNS,
    [
      opts.beforeId && ['id < ?', opts.beforeId],
      opts.resolved !== undefined && ['resolved = ?', opts.resolved],
      opts.customerId && ['(customer_id = ? OR other_customer_id = ?)', opts.customerId, opts.customerId],
    ],
    opts.limit,
  );
  return rows.map(toConflict);
}
