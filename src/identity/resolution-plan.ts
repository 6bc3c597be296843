import type { IdentityRef } from '../../connectors/common/identity-types';
import type { PlannedConflict } from '../storage/identity/identity-conflict.repository';
import { bestPriority, identityKey, singleValueSlot } from './identity-keys';

export type { PlannedConflict };

/**
 * The decision half of identity resolution (DESIGN §4), free of I/O so every rule is unit-testable:
 * given what one observation links and what the database holds for those identities, say which customer
 * survives, which customers merge into it, which identities attach and which links are refused.
 * `identity.service.ts` loads the inputs under row locks and carries the plan out in one transaction.
 */
export interface KnownCustomer {
  id: string;
  createdAt: number;
  identities: IdentityRef[];
}

export interface PlanInput {
  /** Cleaned, linkable identities of one observation (phones already as keyed hashes). */
  refs: IdentityRef[];
  /** identityKey → id of the active customer holding it. */
  owners: ReadonlyMap<string, string>;
  /** Every customer named in `owners`, with all its identities. */
  customers: ReadonlyMap<string, KnownCustomer>;
  /** Pairs `a|b` (ordered ids) an operator separated by undoing a merge: never merged again automatically. */
  separatedPairs?: ReadonlySet<string>;
}

export interface ResolutionPlan {
  /** null: none of the identities is known, create a customer. */
  survivorId: string | null;
  /** Customers that merge into the survivor, in order. */
  merges: string[];
  attach: IdentityRef[];
  conflicts: PlannedConflict[];
}

export function pairKey(a: string, b: string): string {
  return compareIds(a, b) <= 0 ? `${a}|${b}` : `${b}|${a}`;
}

/** Numeric ids compare as numbers (bigint auto-increment as strings), anything else as strings. */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Survivor rule: the customer holding the higher-priority identity; ties go to the older customer. */
export function rankCustomers(customers: readonly KnownCustomer[]): KnownCustomer[] {
  return [...customers].sort(
    (x, y) =>
      bestPriority(x.identities) - bestPriority(y.identities) || x.createdAt - y.createdAt || compareIds(x.id, y.id),
  );
}

type Slots = Map<string, IdentityRef>;

function slotsOf(refs: readonly IdentityRef[]): Slots {
  const slots: Slots = new Map();
  for (const r of refs) {
    const s = singleValueSlot(r);
    if (s && !slots.has(s)) slots.set(s, r);
  }
  return slots;
}

/** Slots where the two sides hold different values: the links that cannot be made. */
function clashes(a: Slots, b: readonly IdentityRef[]): [IdentityRef, IdentityRef][] {
  const out: [IdentityRef, IdentityRef][] = [];
  for (const r of b) {
    const s = singleValueSlot(r);
    const mine = s ? a.get(s) : undefined;
    if (mine && mine.value !== r.value) out.push([mine, r]);
  }
  return out;
}

export function planResolution(input: PlanInput): ResolutionPlan {
  const involvedIds = [
    ...new Set(input.refs.map((r) => input.owners.get(identityKey(r))).filter((id): id is string => !!id)),
  ];
  const involved = rankCustomers(
    involvedIds.map((id) => {
      const c = input.customers.get(id);
      if (!c) throw new Error(`customer ${id} was not loaded`);
      return c;
    }),
  );
  const conflicts: PlannedConflict[] = [];
  const survivor = involved[0];
  const survivorId = survivor?.id ?? null;
  const slots = slotsOf(survivor?.identities ?? []);
  const merges: string[] = [];

  for (const other of involved.slice(1)) {
    if (input.separatedPairs?.has(pairKey(survivor!.id, other.id))) {
      const mine = input.refs.find((r) => input.owners.get(identityKey(r)) === survivor!.id);
      const theirs = input.refs.find((r) => input.owners.get(identityKey(r)) === other.id);
      if (mine && theirs) {
        conflicts.push({
          type: theirs.type,
          scope: theirs.scope,
          existingValue: mine.value,
          refusedValue: theirs.value,
          customerId: survivor!.id,
          otherCustomerId: other.id,
          reason: 'separated',
        });
      }
      continue;
    }
    const bad = clashes(slots, other.identities);
    if (bad.length > 0) {
      for (const [mine, theirs] of bad) {
        conflicts.push({
          type: theirs.type,
          scope: theirs.scope,
          existingValue: mine.value,
          refusedValue: theirs.value,
          customerId: survivor!.id,
          otherCustomerId: other.id,
          reason: 'second_value',
        });
      }
      continue;
    }
    merges.push(other.id);
    for (const [s, r] of slotsOf(other.identities)) if (!slots.has(s)) slots.set(s, r);
  }

  const attach: IdentityRef[] = [];
  for (const r of input.refs) {
    if (input.owners.has(identityKey(r))) continue;
    const s = singleValueSlot(r);
    const held = s ? slots.get(s) : undefined;
    if (held && held.value !== r.value) {
      conflicts.push({
        type: r.type,
        scope: r.scope,
        existingValue: held.value,
        refusedValue: r.value,
        customerId: survivorId,
        otherCustomerId: null,
        reason: 'second_value',
      });
      continue;
    }
    if (s) slots.set(s, r);
    attach.push(r);
  }
  return { survivorId, merges, attach, conflicts };
}
