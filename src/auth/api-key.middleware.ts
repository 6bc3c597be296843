import type { Middleware } from 'koa';
import { forbidden, unauthorized } from '../http/http-error';
import { roleAtLeast, type Role } from './roles';
import type { ApiKeyService } from './api-key.service';

/** Who is calling the admin API: an API key (machines) or a person signed in to the console (DESIGN §7.1). */
export interface Principal {
  kind: 'key' | 'operator';
  id: string;
  name: string;
  role: Role;
  /** What audit rows name: the key's name, or `operator:<id>`. */
  actor: string;
  /** Carried by the console cookie rather than an Authorization header: changes need the console's origin. */
  viaCookie: boolean;
  corpId?: string;
  userid?: string;
}

declare module 'koa' {
  interface DefaultState {
    principal?: Principal;
  }
}

/** Finds the principal of a console cookie; the console's session service (src/operators) implements it. */
export interface CookieSessions {
  cookieName: string;
  authenticate(cookie: string): Promise<Principal | undefined>;
}

/**
 * `Authorization: Bearer <key>` (machines), else the console's session cookie (people), on every /api/v1 route
 * (DESIGN §7, §7.1). Neither, or an unknown/revoked/expired one → 401. A change carried by the cookie must come
 * from the console's own origin — `Origin` (else `Referer`) equal to `server.publicUrl` or the request's own
 * origin — else 403: SameSite=Lax already keeps the cookie off cross-site subrequests, this covers the rest
 * (same-site sibling hosts, older browsers).
 */
export function authenticate(keys: ApiKeyService, sessions?: CookieSessions, publicUrl?: string): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const cookie = sessions ? ctx.cookies.get(sessions.cookieName) : undefined;
    if (header || !cookie || !sessions) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m) throw unauthorized('missing Authorization: Bearer <api key> (or sign in to the console)');
      const principal = await keys.authenticate(m[1]!);
      if (!principal) throw unauthorized('invalid or revoked api key');
      ctx.state.principal = principal;
      return next();
    }
    const principal = await sessions.authenticate(cookie);
    if (!principal) throw unauthorized('the console session has ended; sign in again');
    if (
      !SAFE_METHODS.has(ctx.method) &&
      !sameOrigin(ctx.get('origin') || ctx.get('referer'), requestOrigin(ctx), publicUrl)
    )
      throw forbidden('a change carried by the console cookie must come from the console itself');
    ctx.state.principal = principal;
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** This request's own origin (koa 3's `ctx.origin` is the Origin header instead); X-Forwarded-* behind a proxy. */
export function requestOrigin(ctx: { protocol: string; host: string }): string {
  return `${ctx.protocol}://${ctx.host}`;
}

/** Whether an Origin or Referer value names the request's own origin or the configured public one. */
export function sameOrigin(header: string, requestOrigin: string, publicUrl: string | undefined): boolean {
  if (!header || header === 'null') return false;
  let origin: string;
  try {
    origin = new URL(header).origin;
  } catch {
    return false;
  }
  return origin === requestOrigin || (publicUrl !== undefined && origin === new URL(publicUrl).origin);
}

/** A role gate remembers its role so the OpenAPI document can state it (src/http/api/openapi.ts). */
export type RoleGate = Middleware & { requiredRole: Role };

/** Role gate for a route: a key below `need` gets 403. */
export function requireRole(need: Role): RoleGate {
  const gate: Middleware = async (ctx, next) => {
    const p = ctx.state.principal;
    if (!p) throw unauthorized();
    if (!roleAtLeast(p.role, need))
      throw forbidden(`requires role ${need}; this ${p.kind === 'key' ? 'key' : 'operator'} is ${p.role}`);
    await next();
  };
  return Object.assign(gate, { requiredRole: need });
}

/** The principal of an authenticated API request (throws 401 if the route forgot `authenticate`). */
export function principalOf(state: { principal?: Principal }): Principal {
  if (!state.principal) throw unauthorized();
  return state.principal;
}
