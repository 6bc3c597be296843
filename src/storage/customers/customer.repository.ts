import type { CustomerRow, CustomerStatus } from '../entities';
import { type Db, execute, fromDbTime, select } from '../sql';
import { dialectFor } from '../dialect';

/** A `customers` row as the repository reads and writes it: the purchase figures are kept apart (purchase-figures). */
export type StoredCustomer = Omit<CustomerRow, 'purchaseOrders' | 'purchaseSpentFen' | 'lastPurchaseAt'>;

const COLUMN_NAMES = [
  'id',
  'status',
  'merged_into_id',
  'display_name',
  'avatar_url',
  'phone_enc',
  'created_at',
  'updated_at',
];
const COLUMNS = COLUMN_NAMES.join(', ');

/** The columns `toCustomer` reads, of the `customers` table joined as `alias`. */
export function customerColumns(alias: string): string {
  return COLUMN_NAMES.map((c) => `${alias}.${c}`).join(', ');
}
/** A merge chain longer than this means corrupted data, not a real history. */
export const MAX_CHAIN = 32;

/** A `customers` row (the columns above, raw from either driver) as a StoredCustomer. */
export function toCustomer(r: Record<string, unknown>): StoredCustomer {
  return {
    id: String(r.id),
    status: r.status as CustomerStatus,
    mergedIntoId: (r.merged_into_id as string | null) ?? null,
    displayName: (r.display_name as string | null) ?? null,
    avatarUrl: (r.avatar_url as string | null) ?? null,
    phoneEnc: (r.phone_enc as string | null) ?? null,
    createdAt: fromDbTime(r.created_at)!,
    updatedAt: fromDbTime(r.updated_at)!,
  };
}

export async function insertCustomer(
  db: Db,
  c: { id: string; now: Date; displayName?: string | null; avatarUrl?: string | null; phoneEnc?: string | null },
): Promise<void> {
  await execute(
    db,
    "INSERT INTO customers (id, status, display_name, avatar_url, phone_enc, created_at, updated_at) VALUES (?, 'active', ?, ?, ?, ?, ?)",
    [c.id, c.displayName ?? null, c.avatarUrl ?? null, c.phoneEnc ?? null, c.now, c.now],
  );
}

/** Customers by id, in id order (a fixed lock order keeps concurrent resolvers from deadlocking each other). */
export async function findCustomers(db: Db, ids: readonly string[], lock = false): Promise<StoredCustomer[]> {
  if (ids.length === 0) return [];
  const sorted = [...new Set(ids)].sort();
  const rows = await select(
    db,
    `SELECT ${COLUMNS} FROM customers WHERE id IN (${sorted.map(() => '?').join(', ')}) ORDER BY id${lock ? dialectFor(db).forUpdate : ''}`,
    sorted,
  );
  return rows.map(toCustomer);
}

export async function findCustomer(db: Db, id: string, lock = false): Promise<StoredCustomer | undefined> {
  return (await findCustomers(db, [id], lock))[0];
}

/** Follows `merged_into_id` to the customer a merged id now lives in (DESIGN §4: reads of a merged id). */
export async function survivorOf(db: Db, id: string): Promise<StoredCustomer | undefined> {
  let current = await findCustomer(db, id);
  for (let hops = 0; current && current.status === 'merged' && current.mergedIntoId && hops < MAX_CHAIN; hops++) {
    current = await findCustomer(db, current.mergedIntoId);
  }
  return current;
}

export async function updateCustomer(
  db: Db,
  id: string,
  fields: Partial<Pick<StoredCustomer, 'status' | 'mergedIntoId' | 'displayName' | 'avatarUrl' | 'phoneEnc'>>,
  now: Date,
): Promise<void> {
  const columns: Record<string, string> = {
    status: 'status',
    mergedIntoId: 'merged_into_id',
    displayName: 'display_name',
    avatarUrl: 'avatar_url',
    phoneEnc: 'phone_enc',
  };
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    sets.push(`${columns[k]} = ?`);
    params.push(v);
  }
  if (sets.length === 0) return;
  await execute(db, `UPDATE customers SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`, [...params, now, id]);
}

/** Clears a profile field only while it still holds `value` (an undone merge takes back what it filled in). */
export async function clearFieldIf(
  db: Db,
  id: string,
  field: 'displayName' | 'avatarUrl' | 'phoneEnc',
  value: string,
): Promise<void> {
  const column = { displayName: 'display_name', avatarUrl: 'avatar_url', phoneEnc: 'phone_enc' }[field];
  await execute(db, `UPDATE customers SET ${column} = NULL WHERE id = ? AND ${column} = ?`, [id, value]);
}
