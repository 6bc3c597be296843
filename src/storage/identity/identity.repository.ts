import type { IdentityRef, IdentityType } from './identity-types';
import { dialectFor } from '../dialect';
import { type Db, execute, fromDbTime, idString, select } from '../sql';
import { lockRowsByKeys } from '../locked-rows';

/** One `identities` row as resolution needs it. */
export interface StoredIdentity extends IdentityRef {
  id: string;
  customerId: string;
  valueEnc: string | null;
  source: string | null;
  verified: boolean;
  createdAt: Date;
}

const COLUMNS = 'id, customer_id, type, scope, value, value_enc, source, verified, created_at';

function toIdentity(r: Record<string, unknown>): StoredIdentity {
  return {
    id: idString(r.id),
    customerId: String(r.customer_id),
    type: r.type as IdentityType,
    scope: String(r.scope),
    value: String(r.value),
    valueEnc: (r.value_enc as string | null) ?? null,
    source: (r.source as string | null) ?? null,
    verified: Number(r.verified) === 1 || r.verified === true,
    createdAt: fromDbTime(r.created_at)!,
  };
}

/** The stored rows of these identities (unique on type, scope, value), locked on MySQL when asked. */
export async function findIdentities(db: Db, refs: readonly IdentityRef[], lock = false): Promise<StoredIdentity[]> {
  if (refs.length === 0) return [];
  const where = refs.map(() => '(type = ? AND scope = ? AND value = ?)').join(' OR ');
  const params = refs.flatMap((r) => [r.type, r.scope, r.value]);
  return (
    await select(db, `SELECT ${COLUMNS} FROM identities WHERE ${where}${lock ? dialectFor(db).forUpdate : ''}`, params)
  ).map(toIdentity);
}

/** findIdentities, locked, for a whole batch's identities: in sorted, bounded statements (lockRowsByKeys). */
export async function lockIdentities(db: Db, refs: readonly IdentityRef[]): Promise<StoredIdentity[]> {
  const rows = await lockRowsByKeys(
    db,
    'identities',
    COLUMNS,
    ['type', 'scope', 'value'],
    refs.map((r) => [r.type, r.scope, r.value]),
  );
  return rows.map(toIdentity);
}

export async function identitiesOfCustomers(
  db: Db,
  customerIds: readonly string[],
  lock = false,
): Promise<StoredIdentity[]> {
  if (customerIds.length === 0) return [];
  const marks = customerIds.map(() => '?').join(', ');
  const rows = await select(
    db,
    `SELECT ${COLUMNS} FROM identities WHERE customer_id IN (${marks}) ORDER BY id${lock ? dialectFor(db).forUpdate : ''}`,
    [...customerIds],
  );
  return rows.map(toIdentity);
}

export interface NewIdentity {
  customerId: string;
  ref: IdentityRef;
  valueEnc: string | null;
  source: string;
  verified: boolean;
  now: Date;
}

/** Plain INSERT: a concurrent resolver that got there first makes this fail, and the transaction retries. */
export async function insertIdentity(db: Db, n: NewIdentity): Promise<string> {
  const { insertId } = await execute(
    db,
    'INSERT INTO identities (customer_id, type, scope, value, value_enc, source, verified, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [n.customerId, n.ref.type, n.ref.scope, n.ref.value, n.valueEnc, n.source, n.verified, n.now, n.now],
  );
  if (!insertId) throw new Error('identity insert returned no id');
  return insertId;
}

export async function insertLink(
  db: Db,
  l: { customerId: string; identityId: string; source: string; inboxId: string | null; now: Date },
): Promise<void> {
  await execute(
    db,
    'INSERT INTO identity_links (customer_id, identity_id, source, inbox_id, created_at) VALUES (?, ?, ?, ?, ?)',
    [l.customerId, l.identityId, l.source.slice(0, 64), l.inboxId, l.now],
  );
}

export async function deleteIdentity(db: Db, id: string): Promise<void> {
  await execute(db, 'DELETE FROM identities WHERE id = ?', [id]);
}

/** Keeps the freshest encrypted value and the strongest evidence on an identity seen again. */
export async function refreshIdentity(
  db: Db,
  id: string,
  valueEnc: string | null,
  verified: boolean,
  now: Date,
): Promise<void> {
  await execute(
    db,
    'UPDATE identities SET value_enc = COALESCE(?, value_enc), verified = CASE WHEN ? = 1 THEN 1 ELSE verified END, updated_at = ? WHERE id = ?',
    [valueEnc, verified, now, id],
  );
}

/** Whether any of these tombstone hashes exists (erased persons, DESIGN §7). */
export async function anyTombstone(db: Db, hashes: readonly string[]): Promise<boolean> {
  if (hashes.length === 0) return false;
  const rows = await select(
    db,
    `SELECT 1 AS x FROM erasure_tombstones WHERE identity_hash IN (${hashes.map(() => '?').join(', ')}) LIMIT 1`,
    [...hashes],
  );
  return rows.length > 0;
}

/** Which of these identity hashes have an erasure tombstone (one statement for a batch's unknown identities). */
export async function tombstonedAmong(db: Db, hashes: readonly string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await select<{ identity_hash: string }>(
    db,
    `SELECT identity_hash FROM erasure_tombstones WHERE identity_hash IN (${hashes.map(() => '?').join(', ')})`,
    [...hashes],
  );
  return new Set(rows.map((r) => String(r.identity_hash)));
}

/** Points every identity of one customer at another (identities left on a merged customer). */
export async function moveIdentitiesOf(db: Db, from: string, to: string): Promise<void> {
  await execute(db, 'UPDATE identities SET customer_id = ? WHERE customer_id = ?', [to, from]);
}
