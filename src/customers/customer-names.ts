import { findCustomers } from '../identity/customer.repository';
import { type Db, select } from '../storage/sql';
import { bestName } from './best-name';
import type { NameSource } from './customers-api.types';

/**
 * Whose name to work out: a customer, plus rows that were theirs and have moved since (a merged customer's
 * identities, follows and subscriptions now sit on the survivor; the merge log keeps their ids).
 */
export interface NameSubject {
  id: string;
  identityIds?: readonly string[];
  followIds?: readonly string[];
  subscriptionIds?: readonly string[];
}

export type ShownName = { name: string; nameSource: NameSource };

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Rows of a table that belong to some customers or have some ids, with the customers each belongs to. */
async function rowsFor(db: Db, table: string, columns: string, subjects: readonly NameSubject[], idsOf: (s: NameSubject) => readonly string[] | undefined): Promise<Map<string, Record<string, unknown>[]>> {
  const customerIds = subjects.map((s) => s.id);
  const extra = [...new Set(subjects.flatMap((s) => [...(idsOf(s) ?? [])]))];
  const rows = await select(db, `SELECT id, customer_id, ${columns} FROM ${table} WHERE customer_id IN (${marks(customerIds.length)})${extra.length ? ` OR id IN (${marks(extra.length)})` : ''} ORDER BY id`, [...customerIds, ...extra]);
  const out = new Map<string, Record<string, unknown>[]>();
  for (const s of subjects) {
    const own = new Set(idsOf(s) ?? []);
    out.set(s.id, rows.filter((r) => String(r.customer_id) === s.id || own.has(String(r.id))));
  }
  return out;
}

/** The best-known names (best-name.ts) of a few customers — the merges page, audit targets — in four reads. */
export async function customerNames(db: Db, subjects: readonly NameSubject[]): Promise<Map<string, ShownName>> {
  const out = new Map<string, ShownName>();
  if (subjects.length === 0) return out;
  const [customers, identities, follows, subscriptions] = await Promise.all([
    findCustomers(db, [...new Set(subjects.map((s) => s.id))]),
    rowsFor(db, 'identities', 'type, scope, value', subjects, (s) => s.identityIds),
    rowsFor(db, 'wecom_follows', 'remark, deleted', subjects, (s) => s.followIds),
    rowsFor(db, 'oa_subscriptions', 'remark', subjects, (s) => s.subscriptionIds),
  ]);
  const byId = new Map(customers.map((c) => [c.id, c]));
  for (const s of subjects) {
    const c = byId.get(s.id);
    out.set(
      s.id,
      bestName({
        id: s.id,
        displayName: c?.displayName ?? null,
        identities: (identities.get(s.id) ?? []).filter((i) => i.type !== 'phone').map((i) => ({ type: String(i.type), scope: String(i.scope), value: String(i.value) })),
        follows: (follows.get(s.id) ?? []).map((f) => ({ remark: f.remark, deleted: Number(f.deleted) === 1 || f.deleted === true })),
        subscriptions: (subscriptions.get(s.id) ?? []).map((r) => ({ remark: r.remark })),
      }),
    );
  }
  return out;
}
