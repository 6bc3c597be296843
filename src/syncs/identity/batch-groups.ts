import type { IdentityRef } from '../../../connectors/common/identity-types';
import { cleanRefs, identityKey, singleValueSlot } from '../../identity/identity-keys';

export interface Profile {
  displayName?: string;
  avatarUrl?: string;
}

/**
 * Observations of one batch that share an identity belong together (a WeCom customer followed by two staff
 * members appears twice in one batch/get_by_user page). Union-find over identity keys gives disjoint groups,
 * each resolvable on its own.
 */
export interface ObservationGroup {
  /** Indexes of the observations in the batch. */
  members: number[];
  refs: IdentityRef[];
}

export function groupObservations(refsPerObservation: readonly IdentityRef[][]): ObservationGroup[] {
  const parent = refsPerObservation.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const firstByKey = new Map<string, number>();
  refsPerObservation.forEach((refs, i) => {
    for (const r of refs) {
      const k = identityKey(r);
      const j = firstByKey.get(k);
      if (j === undefined) firstByKey.set(k, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, ObservationGroup>();
  refsPerObservation.forEach((refs, i) => {
    const root = find(i);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { members: [], refs: [] }));
    g.members.push(i);
    g.refs.push(...refs);
  });
  return [...groups.values()].map((g) => ({ members: g.members, refs: cleanRefs(g.refs) }));
}

/** Two values of a one-per-person type inside one group: only the single path may decide (conflicts). */
export function hasSlotClash(refs: readonly IdentityRef[]): boolean {
  const slots = new Map<string, string>();
  for (const r of refs) {
    const s = singleValueSlot(r);
    if (!s) continue;
    const held = slots.get(s);
    if (held !== undefined && held !== r.value) return true;
    slots.set(s, r.value);
  }
  return false;
}

/** Resolving a group's observations in order, the last non-empty value of each field is the one that stays. */
export function foldProfile(profiles: readonly (Profile | undefined)[]): Profile {
  const out: Profile = {};
  for (const p of profiles) {
    if (p?.displayName) out.displayName = p.displayName;
    if (p?.avatarUrl) out.avatarUrl = p.avatarUrl;
  }
  return out;
}
