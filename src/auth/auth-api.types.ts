/**
 * The JSON of `GET /api/v1/whoami` (DESIGN §7.1). The console imports these types through `@server`; they import
 * nothing, so the browser build can use them.
 */

/** The admin API's roles (roles.ts `Role` must fit this one). */
export type RoleJson = 'viewer' | 'operator' | 'admin' | 'ingest';

/** Who is calling: a person signed in to the console (an operator) or an API key. */
export interface WhoAmIJson {
  kind: 'operator' | 'key';
  id: string;
  name: string;
  role: RoleJson;
  corpId?: string;
  userid?: string;
}
