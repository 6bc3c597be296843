/**
 * Admin API roles (DESIGN §7): admin ⊃ operator ⊃ viewer. `ingest` stands beside them: a key another system
 * uses to send events and orders (DESIGN §11 `POST /api/v1/events`) and nothing else.
 */
export const ROLES = ['viewer', 'operator', 'admin', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

const RANKED: readonly Role[] = ['viewer', 'operator', 'admin'];

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** Whether `have` may use a route gated at `need`: `ingest` routes also take operators and admins. */
export function roleAtLeast(have: Role, need: Role): boolean {
  if (need === 'ingest') return have === 'ingest' || roleAtLeast(have, 'operator');
  if (have === 'ingest') return false;
  return RANKED.indexOf(have) >= RANKED.indexOf(need);
}
