import type { Context } from 'koa';
import type { SessionTokens } from '../auth/session-token';
import { FrontDoorError } from '../h5/front-door.errors';
import { H5_SESSION_COOKIE, verifyVisitorToken, type VisitorSession } from '../h5/visitor-session';

/**
 * The visitor behind a request: `Authorization: Bearer <token>` (Mini Program login, or an H5 session token)
 * or else the H5 session cookie. A present but unusable Authorization header is refused rather than falling
 * back to the cookie, so a client never acts as someone it did not mean to.
 */
export function visitorOf(ctx: Context, tokens: SessionTokens): VisitorSession {
  const header = ctx.get('authorization');
  if (header !== '') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new FrontDoorError('SESSION_INVALID', 'Authorization must be Bearer <token>');
    return verifyVisitorToken(tokens, m[1]!);
  }
  const cookie = ctx.cookies.get(H5_SESSION_COOKIE);
  if (!cookie)
    throw new FrontDoorError(
      'SESSION_REQUIRED',
      'sign in first: Bearer token from /mp/:appId/login or the H5 session cookie',
    );
  return verifyVisitorToken(tokens, cookie);
}

declare module 'koa' {
  interface DefaultState {
    /** Set by the front-door routes once the visitor token or cookie verified. */
    visitor?: VisitorSession;
  }
}
