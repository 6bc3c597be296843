/**
 * The JSON of `GET /api/v1/whoami` (DESIGN §7). The console imports these types through `@server`; they import
 * nothing, so the browser build can use them.
 */

/** The admin API's roles (roles.ts `Role` must fit this one). */
export type RoleJson = 'viewer' | 'operator' | 'admin' | 'ingest';

/** The calling API key: its name and role. */
export interface WhoAmIJson {
  name: string;
  role: RoleJson;
}
