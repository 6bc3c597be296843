// @ts-check
/**
 * The signed-in operator: the API key lives in sessionStorage only (gone when the tab closes; never put in a URL,
 * never logged), the name and role come from `GET /api/v1/whoami`.
 */

const KEY = 'siyu.console.apiKey';
const ROLES = /** @type {const} */ (['viewer', 'operator', 'admin']);

/** @typedef {'viewer' | 'operator' | 'admin'} Role */
/** @typedef {{ name: string, role: Role }} Principal */

/** @type {Principal | null} */
let principal = null;

/** @returns {string | null} */
export function apiKey() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** @param {string} key */
export function storeKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function signOut() {
  principal = null;
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    /* storage disabled: nothing was kept */
  }
}

/** @param {Principal} p */
export function setPrincipal(p) {
  principal = p;
}

/** @returns {Principal | null} */
export function currentPrincipal() {
  return principal;
}

/** @param {unknown} v @returns {v is Role} */
export function isRole(v) {
  return typeof v === 'string' && /** @type {readonly string[]} */ (ROLES).includes(v);
}

/** Whether the signed-in role reaches `need` (admin ⊃ operator ⊃ viewer, as on the server). @param {Role} need */
export function can(need) {
  return principal !== null && ROLES.indexOf(principal.role) >= ROLES.indexOf(need);
}
