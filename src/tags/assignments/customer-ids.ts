import { findCustomers, survivorOf } from '../../storage/customers/customer.repository';
import type { Db } from '../../storage/sql';

/**
 * Resolves requested customer ids to live customers (DESIGN §4: a merged id means its survivor): returns the
 * distinct active ids and the requested ids that match no live customer (unknown or erased).
 */
export async function resolveCustomerIds(
  db: Db,
  ids: readonly string[],
): Promise<{ active: string[]; missing: string[] }> {
  const requested = [...new Set(ids)];
  const status = new Map<string, { status: string; mergedInto: string | null }>();
  for (let i = 0; i < requested.length; i += 500) {
    const part = requested.slice(i, i + 500);
    for (const c of await findCustomers(db, part)) status.set(c.id, { status: c.status, mergedInto: c.mergedIntoId });
  }
  const active = new Set<string>();
  const missing: string[] = [];
  for (const id of requested) {
    const s = status.get(id);
    if (s?.status === 'active') active.add(id);
    else if (s?.status === 'merged') {
      const survivor = await survivorOf(db, id);
      if (survivor?.status === 'active') active.add(survivor.id);
      else missing.push(id);
    } else missing.push(id);
  }
  return { active: [...active], missing };
}
