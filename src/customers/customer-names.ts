import { findCustomers } from '../storage/customers/customer.repository';
import { nameSourceRows, type NameSourceOwner } from '../storage/customers/name-sources.repository';
import type { Db } from '../storage/sql';
import { bestName } from './best-name';
import type { NameSource } from './customers-api.types';

/**
 * Whose name to work out: a customer, plus rows that were theirs and have moved since (a merged customer's
 * identities, follows and subscriptions now sit on the survivor; the merge log keeps their ids).
 */
export type NameSubject = NameSourceOwner;

export type ShownName = { name: string; nameSource: NameSource };

/** The best-known names (best-name.ts) of a few customers — the merges page, audit targets — in four reads. */
export async function customerNames(db: Db, subjects: readonly NameSubject[]): Promise<Map<string, ShownName>> {
  const out = new Map<string, ShownName>();
  if (subjects.length === 0) return out;
  const [customers, { identities, follows, subscriptions }] = await Promise.all([
    findCustomers(db, [...new Set(subjects.map((s) => s.id))]),
    nameSourceRows(db, subjects),
  ]);
  const byId = new Map(customers.map((c) => [c.id, c]));
  for (const s of subjects) {
    const c = byId.get(s.id);
    out.set(
      s.id,
      bestName({
        id: s.id,
        displayName: c?.displayName ?? null,
        identities: (identities.get(s.id) ?? [])
          .filter((i) => i.type !== 'phone')
          .map((i) => ({ type: String(i.type), scope: String(i.scope), value: String(i.value) })),
        follows: (follows.get(s.id) ?? []).map((f) => ({
          remark: f.remark,
          deleted: Number(f.deleted) === 1 || f.deleted === true,
        })),
        subscriptions: (subscriptions.get(s.id) ?? []).map((r) => ({ remark: r.remark })),
      }),
    );
  }
  return out;
}
