import type { Middleware } from 'koa';
import { forbidden, unauthorized } from '../http/http-error';
import { roleAtLeast, type Role } from './roles';
import type { ApiKeyService } from './api-key.service';

export interface Principal {
  keyId: string;
  name: string;
  role: Role;
}

declare module 'koa' {
  interface DefaultState {
    principal?: Principal;
  }
}

/** `Authorization: Bearer <key>` on every /api/v1 route (DESIGN §7). Missing or unknown/revoked key → 401. */
export function authenticate(keys: ApiKeyService): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw unauthorized('missing Authorization: Bearer <api key>');
    const principal = await keys.authenticate(m[1]!);
    if (!principal) throw unauthorized('invalid or revoked api key');
    ctx.state.principal = principal;
    await next();
  };
}

/** A role gate remembers its role so the OpenAPI document can state it (src/http/api/openapi.ts). */
export type RoleGate = Middleware & { requiredRole: Role };

/** Role gate for a route: a key below `need` gets 403. */
export function requireRole(need: Role): RoleGate {
  const gate: Middleware = async (ctx, next) => {
    const p = ctx.state.principal;
    if (!p) throw unauthorized();
    if (!roleAtLeast(p.role, need)) throw forbidden(`requires role ${need}; this key is ${p.role}`);
    await next();
  };
  return Object.assign(gate, { requiredRole: need });
}

/** The principal of an authenticated API request (throws 401 if the route forgot `authenticate`). */
export function principalOf(state: { principal?: Principal }): Principal {
  if (!state.principal) throw unauthorized();
  return state.principal;
}
