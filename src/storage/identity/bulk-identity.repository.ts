import type { IdentityRef } from './identity-types';
import type { StoredIdentity } from './identity.repository';
import { dialectFor } from '../dialect';
import { writeRows } from '../driver/prepared-rows';
import { type Db, execute, fromDbTime, idString, type RowsStatement, select, toDbTime } from '../sql';

/** Refs grouped by (type, scope) so each group is one `value IN (…)` range on the unique key. */
function byTypeScope(refs: readonly IdentityRef[]): { where: string; params: unknown[] } {
  const groups = new Map<string, { type: string; scope: string; values: string[] }>();
  for (const r of refs) {
    const k = `${r.type}|${r.scope}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { type: r.type, scope: r.scope, values: [] }));
    g.values.push(r.value);
  }
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const g of groups.values()) {
    parts.push(`(type = ? AND scope = ? AND value IN (${g.values.map(() => '?').join(', ')}))`);
    params.push(g.type, g.scope, ...g.values);
  }
  return { where: parts.join(' OR '), params };
}

function toIdentity(r: Record<string, unknown>): StoredIdentity {
  return {
    id: idString(r.id),
    customerId: String(r.customer_id),
    type: r.type as StoredIdentity['type'],
    scope: String(r.scope),
    value: String(r.value),
    valueEnc: (r.value_enc as string | null) ?? null,
    source: (r.source as string | null) ?? null,
    verified: Number(r.verified) === 1 || r.verified === true,
    createdAt: fromDbTime(r.created_at)!,
  };
}

const COLUMNS = 'id, customer_id, type, scope, value, value_enc, source, verified, created_at';

/** One SELECT for every identity of a batch that already exists (locked on MySQL, like the single path). */
export async function findIdentitiesBulk(db: Db, refs: readonly IdentityRef[]): Promise<StoredIdentity[]> {
  if (refs.length === 0) return [];
  const { where, params } = byTypeScope(refs);
  return (await select(db, `SELECT ${COLUMNS} FROM identities WHERE ${where}${dialectFor(db).forUpdate}`, params)).map(
    toIdentity,
  );
}

/** Whether anyone was ever erased: without tombstones a batch needs no hashing and no lookup. */
export async function anyTombstones(db: Db): Promise<boolean> {
  return (await select(db, 'SELECT 1 AS x FROM erasure_tombstones LIMIT 1')).length > 0;
}

/** Which of these tombstone hashes exist (erased persons, DESIGN §7). */
export async function tombstonedHashes(db: Db, hashes: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < hashes.length; i += 1000) {
    const part = hashes.slice(i, i + 1000);
    const rows = await select<{ identity_hash: string }>(
      db,
      `SELECT identity_hash FROM erasure_tombstones WHERE identity_hash IN (${part.map(() => '?').join(', ')})`,
      part,
    );
    for (const r of rows) found.add(r.identity_hash);
  }
  return found;
}

export interface NewCustomerRow {
  id: string;
  displayName: string | null;
  avatarUrl: string | null;
}

function* chunked<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

const CUSTOMERS: RowsStatement = {
  head: 'INSERT INTO customers (id, status, display_name, avatar_url, created_at, updated_at) VALUES ',
  tuple: "(?, 'active', ?, ?, ?, ?)",
  tail: '',
};

/** Multi-row INSERT of new customers (ids made by the caller, UUIDv7). */
export async function insertCustomersBulk(db: Db, rows: readonly NewCustomerRow[], now: Date): Promise<void> {
  // One time string per batch: converting a Date per bound parameter was a measurable share of a sync's CPU.
  const at = toDbTime(now);
  await writeRows(
    db,
    CUSTOMERS,
    rows.map((c) => [c.id, c.displayName?.slice(0, 128) ?? null, c.avatarUrl?.slice(0, 512) ?? null, at, at]),
  );
}

const IDENTITIES: RowsStatement = {
  head: 'INSERT INTO identities (customer_id, type, scope, value, value_enc, source, verified, created_at, updated_at) VALUES ',
  tuple: '(?, ?, ?, ?, NULL, ?, 0, ?, ?)',
  tail: '',
};

export interface NewIdentityRow {
  customerId: string;
  ref: IdentityRef;
}

/**
 * Multi-row INSERT of identities. A plain INSERT: a concurrent resolver that inserted one of them first makes it
 * fail and the batch transaction reruns (as the single path does). `links` also writes one identity_links row
 * per identity (one INSERT … SELECT over the rows just inserted, so no auto-increment ids are read back).
 */
export async function insertIdentitiesBulk(
  db: Db,
  rows: readonly NewIdentityRow[],
  ev: { source: string; syncRunId: string | null; now: Date; links: boolean },
): Promise<void> {
  const source = ev.source.slice(0, 64);
  const at = toDbTime(ev.now);
  // Key order: concurrent batches take their index locks in the same order, which keeps deadlocks rare.
  // Compared field by field: concatenated keys would cost a string build and flatten per row.
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...rows].sort(
    (a, b) => cmp(a.ref.type, b.ref.type) || cmp(a.ref.scope, b.ref.scope) || cmp(a.ref.value, b.ref.value),
  );
  for (const part of chunked(sorted, 4000)) {
    await writeRows(
      db,
      IDENTITIES,
      part.map((r) => [r.customerId, r.ref.type, r.ref.scope, r.ref.value, source, at, at]),
    );
    if (!ev.links) continue;
    const { where, params } = byTypeScope(part.map((r) => r.ref));
    await execute(
      db,
      `INSERT INTO identity_links (customer_id, identity_id, source, sync_run_id, created_at) SELECT customer_id, id, ?, ?, ? FROM identities WHERE ${where}`,
      [source, ev.syncRunId, at, ...params],
    );
  }
}
