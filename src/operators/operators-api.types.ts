import type { RoleJson } from '../auth/auth-api.types';

/**
 * The JSON of `/api/v1/operators` (DESIGN §7.1). The console imports these types through `@server`; they import
 * nothing but types, so the browser build can use them.
 */
export interface OperatorJson {
  id: string;
  kind: 'wecom' | 'password';
  corpId: string | null;
  userid: string | null;
  login: string | null;
  name: string;
  role: RoleJson;
  enabled: boolean;
  lastSignInAt: string | null;
  createdAt: string;
}

export interface OperatorListJson {
  items: OperatorJson[];
}

/** `GET /console/login` as JSON: the ways to sign in that apply. */
export interface SignInChoicesJson {
  wecom: { corpId: string; name: string | null }[];
  password: boolean;
}
