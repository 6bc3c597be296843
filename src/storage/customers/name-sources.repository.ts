import { type Db, select } from '../sql';

/** A customer, plus ids of rows that were theirs and have moved since (a merge keeps them in the merge log). */
export interface NameSourceOwner {
  id: string;
  identityIds?: readonly string[];
  followIds?: readonly string[];
  subscriptionIds?: readonly string[];
}

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Rows of a table that belong to some customers or have some ids, with the customers each belongs to. */
async function rowsFor(
  db: Db,
  table: string,
  columns: string,
  owners: readonly NameSourceOwner[],
  idsOf: (s: NameSourceOwner) => readonly string[] | undefined,
): Promise<RowsByOwner> {
  const customerIds = owners.map((s) => s.id);
  const extra = [...new Set(owners.flatMap((s) => [...(idsOf(s) ?? [])]))];
  const rows = await select(
    db,
    `SELECT id, customer_id, ${columns} FROM ${table} WHERE customer_id IN (${marks(customerIds.length)})${extra.length ? ` OR id IN (${marks(extra.length)})` : ''} ORDER BY id`,
    [...customerIds, ...extra],
  );
  const out = new Map<string, Record<string, unknown>[]>();
  for (const s of owners) {
    const own = new Set(idsOf(s) ?? []);
    out.set(
      s.id,
      rows.filter((r) => String(r.customer_id) === s.id || own.has(String(r.id))),
    );
  }
  return out;
}

/** Per owner: identities (type, scope, value), follows (remark, deleted) and subscriptions (remark), raw columns. */
type RowsByOwner = Map<string, Record<string, unknown>[]>;

export async function nameSourceRows(
  db: Db,
  owners: readonly NameSourceOwner[],
): Promise<{ identities: RowsByOwner; follows: RowsByOwner; subscriptions: RowsByOwner }> {
  const [identities, follows, subscriptions] = await Promise.all([
    rowsFor(db, 'identities', 'type, scope, value', owners, (s) => s.identityIds),
    rowsFor(db, 'wecom_follows', 'remark, deleted', owners, (s) => s.followIds),
    rowsFor(db, 'oa_subscriptions', 'remark', owners, (s) => s.subscriptionIds),
  ]);
  return { identities, follows, subscriptions };
}
