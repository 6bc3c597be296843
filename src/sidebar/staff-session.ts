import type { Context } from 'koa';
import { SessionTokenError, type SessionTokens } from '../auth/session-token';
import { SidebarError } from './sidebar.errors';

/** Who is using the sidebar: a corp member, known only from WeCom OAuth on the server (DESIGN §7). */
export interface StaffSession {
  corpId: string;
  userid: string;
}

export const STAFF_SESSION_COOKIE = 'siyu_sidebar';
/** A working day's chats need a few hours; after that the page silently logs in again (snsapi_base). */
export const STAFF_SESSION_TTL_SECONDS = 4 * 3600;
/** The cookie rides only the sidebar's page and API. */
export const STAFF_SESSION_PATH = '/sidebar';
const PURPOSE = 'sidebar-staff-session';

interface Claims {
  c: string;
  u: string;
}

export function issueStaffToken(tokens: SessionTokens, s: StaffSession): string {
  return tokens.sign<Claims>(PURPOSE, { c: s.corpId, u: s.userid }, STAFF_SESSION_TTL_SECONDS);
}

/** The session of the request's cookie; SESSION_REQUIRED / SESSION_INVALID / SESSION_EXPIRED (401) otherwise. */
export function staffSessionOf(ctx: Context, tokens: SessionTokens): StaffSession {
  const token = ctx.cookies.get(STAFF_SESSION_COOKIE);
  if (!token) throw new SidebarError('SESSION_REQUIRED', 'sign in through the sidebar first (no session)');
  let c: Claims;
  try {
    c = tokens.verify<Claims>(PURPOSE, token);
  } catch (e) {
    if (e instanceof SessionTokenError && e.code === 'TOKEN_EXPIRED')
      throw new SidebarError('SESSION_EXPIRED', 'the sidebar session has expired; reload the page');
    throw new SidebarError('SESSION_INVALID', 'the sidebar session is not valid; reload the page');
  }
  if (typeof c.c !== 'string' || typeof c.u !== 'string' || c.c === '' || c.u === '')
    throw new SidebarError('SESSION_INVALID', 'the sidebar session is not valid; reload the page');
  return { corpId: c.c, userid: c.u };
}
