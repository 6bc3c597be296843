import { ref } from 'vue';
import type { Role } from './api/types';

/**
 * The signed-in operator: the API key lives in sessionStorage only (gone when the tab closes; never in a URL,
 * never logged), the name and role come from `GET /api/v1/whoami`.
 */
const KEY = 'siyu.console.apiKey';
const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

export interface Principal {
  name: string;
  role: Role;
}

export const principal = ref<Principal | null>(null);

export function apiKey(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeKey(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function forgetKey(): void {
  principal.value = null;
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Storage disabled: nothing was kept.
  }
}

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** Whether the signed-in role reaches `need` (admin ⊃ operator ⊃ viewer, as on the server, DESIGN §7). */
export function can(need: Role): boolean {
  const p = principal.value;
  return p !== null && ROLES.indexOf(p.role) >= ROLES.indexOf(need);
}
