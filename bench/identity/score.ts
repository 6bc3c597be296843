import type { IdentityRef } from '../../connectors/common/identity-types';
import type { PersonTruth } from './truth';

export interface HeldIdentity extends IdentityRef {
  customerId: string;
}

export interface IdentityScore {
  customers: number;
  persons: number;
  personsSeen: number;
  /** Customers a perfect resolver would have: one per person's connected identities, one per unconnected identity. */
  idealCustomers: number;
  precision: number;
  impureCustomers: number;
  recall: number;
  personsCounted: number;
  splitPersons: number;
  unknownIdentities: number;
  /** The first split persons: each connected identity Siyu holds and the customer holding it. */
  splits: { personId: number; held: { key: string; customerId: string }[] }[];
}

const keyOf = (r: IdentityRef) => `${r.type}|${r.scope}|${r.value}`;

/**
 * Scores Siyu's customers against the emulator's truth:
 * - precision: share of customers whose identities all belong to one person (no customer holds two persons);
 * - recall: share of persons whose identities that the truth connects — through their unionid (identities of
 *   apps bound to the open platform, WeCom contacts that are WeChat users) or a verified phone — and that Siyu
 *   holds (at least two) sit in one customer.
 * `bound` holds the appIds/corpIds bound to the open platform; `verifiedPhones` the persons whose phone went
 * through the verified phone API; `phoneKey` turns a plain number into Siyu's phone identity value.
 */
export function scoreIdentities(
  truth: readonly PersonTruth[],
  held: readonly HeldIdentity[],
  opts: { bound: ReadonlySet<string>; verifiedPhones: ReadonlySet<number>; phoneKey: (phone: string) => string },
): IdentityScore {
  const ownerOf = new Map<string, number>();
  const connected = new Map<number, string[]>();
  for (const p of truth) {
    const union = p.identities.some((i) => i.type === 'unionid');
    const keys: string[] = [];
    for (const i of p.identities) {
      const ref = i.type === 'phone' ? { type: 'phone' as const, scope: 'default', value: opts.phoneKey(i.value) } : i;
      const k = keyOf(ref);
      ownerOf.set(k, p.personId);
      const viaUnion =
        union &&
        (i.type === 'unionid' ||
          (opts.bound.has(i.scope) && (i.type !== 'wecom_external_userid' || i.value.startsWith('wm'))));
      const viaPhone = opts.verifiedPhones.has(p.personId) && (i.type === 'phone' || i.type === 'mp_openid');
      if (viaUnion || viaPhone) keys.push(k);
    }
    connected.set(p.personId, keys);
  }
  const customerOf = new Map<string, string>();
  const personsByCustomer = new Map<string, Set<number>>();
  let unknown = 0;
  for (const h of held) {
    const k = keyOf(h);
    customerOf.set(k, h.customerId);
    const person = ownerOf.get(k);
    if (person === undefined) {
      unknown++;
      continue;
    }
    let set = personsByCustomer.get(h.customerId);
    if (!set) personsByCustomer.set(h.customerId, (set = new Set()));
    set.add(person);
  }
  const impure = [...personsByCustomer.values()].filter((s) => s.size > 1).length;
  let counted = 0;
  let split = 0;
  const splits: IdentityScore['splits'] = [];
  const seen = new Set<number>();
  let ideal = 0;
  for (const p of truth) {
    const heldKeys = p.identities
      .map((i) => keyOf(i.type === 'phone' ? { type: 'phone', scope: 'default', value: opts.phoneKey(i.value) } : i))
      .filter((k) => customerOf.has(k));
    if (heldKeys.length > 0) seen.add(p.personId);
    const conn = new Set(connected.get(p.personId)!.filter((k) => customerOf.has(k)));
    ideal += (conn.size > 0 ? 1 : 0) + heldKeys.filter((k) => !conn.has(k)).length;
    if (conn.size < 2) continue;
    counted++;
    if (new Set([...conn].map((k) => customerOf.get(k))).size === 1) continue;
    split++;
    if (splits.length < 20)
      splits.push({ personId: p.personId, held: [...conn].map((key) => ({ key, customerId: customerOf.get(key)! })) });
  }
  const customers = new Set(held.map((h) => h.customerId)).size;
  return {
    customers,
    persons: truth.length,
    personsSeen: seen.size,
    idealCustomers: ideal,
    precision: personsByCustomer.size === 0 ? 1 : (personsByCustomer.size - impure) / personsByCustomer.size,
    impureCustomers: impure,
    recall: counted === 0 ? 1 : (counted - split) / counted,
    personsCounted: counted,
    splitPersons: split,
    unknownIdentities: unknown,
    splits,
  };
}
