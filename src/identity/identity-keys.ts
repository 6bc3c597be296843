import { IDENTITY_PRIORITY, type IdentityRef, type IdentityType } from '../../connectors/common/identity-types';

/** `type|scope|value`: one identity, as a map key. */
export function identityKey(ref: IdentityRef): string {
  return `${ref.type}|${ref.scope}|${ref.value}`;
}

/**
 * The types a person holds at most one value of (DESIGN §4): one unionid per open platform, one openid per
 * (type, appid), one external_userid per corp. Phone and anonymous_id are not: a person may have several numbers,
 * and several browsers or phones before they sign in on each (DESIGN §11).
 * Returns the slot key (`type|scope`) or undefined when the type has no such limit.
 */
export function singleValueSlot(ref: IdentityRef): string | undefined {
  return ref.type === 'phone' || ref.type === 'anonymous_id' ? undefined : `${ref.type}|${ref.scope}`;
}

export function priorityOf(type: IdentityType): number {
  return IDENTITY_PRIORITY[type];
}

/** Best (lowest number) priority among a customer's identities; customers with none rank last. */
export function bestPriority(refs: readonly IdentityRef[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (const r of refs) best = Math.min(best, priorityOf(r.type));
  return best;
}

/** Drops blank values and repeats; keeps the caller's order (the first value of a slot wins inside one observation). */
export function cleanRefs(refs: readonly IdentityRef[]): IdentityRef[] {
  const seen = new Set<string>();
  const out: IdentityRef[] = [];
  for (const r of refs) {
    const value = typeof r.value === 'string' ? r.value.trim() : '';
    const scope = typeof r.scope === 'string' && r.scope.trim() !== '' ? r.scope.trim() : 'default';
    if (!value) continue;
    const ref: IdentityRef = { type: r.type, scope, value };
    const k = identityKey(ref);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(ref);
  }
  return out;
}
