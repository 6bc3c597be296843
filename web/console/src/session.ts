import { ref } from 'vue';
import type { Role, WhoAmI } from './api/types';

/**
 * The signed-in person (DESIGN §7.1): the session is the gateway's http-only `siyu_console` cookie, which this
 * page never sees; who it is comes from `GET /api/v1/whoami`.
 */
const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

export type Principal = WhoAmI;

export const principal = ref<Principal | null>(null);

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** Whether the signed-in role reaches `need` (admin ⊃ operator ⊃ viewer, as on the server, DESIGN §7). */
export function can(need: Role): boolean {
  const p = principal.value;
  return p !== null && ROLES.indexOf(p.role) >= ROLES.indexOf(need);
}
