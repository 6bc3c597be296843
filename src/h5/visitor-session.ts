import type { IdentityRef } from '../../connectors/common/identity-types';
import { SessionTokenError, type SessionTokens } from '../auth/session-token';
import { FrontDoorError } from './front-door.errors';

/**
 * Who an H5 session cookie or a Mini Program token speaks for: the openid the visitor logged in with (the
 * subject), not a customer id — customers merge, the subject identity always resolves to the survivor.
 */
export interface VisitorSession {
  ch: 'h5' | 'mp';
  /** The OA appid (H5) or Mini Program appid. */
  app: string;
  oid: string;
  uid?: string;
}

/** The H5 session cookie; its value is the same token an MP login returns, usable as a Bearer token too. */
export const H5_SESSION_COOKIE = 'siyu_h5';
/** Visitors log in again (silently, snsapi_base / wx.login) after a day. */
export const VISITOR_SESSION_TTL_SECONDS = 86_400;
const PURPOSE = 'visitor-session';

export function issueVisitorToken(tokens: SessionTokens, session: VisitorSession): string {
  return tokens.sign(PURPOSE, session, VISITOR_SESSION_TTL_SECONDS);
}

/** SESSION_EXPIRED / SESSION_INVALID (401) unless the token is a live visitor token we signed. */
export function verifyVisitorToken(tokens: SessionTokens, token: string): VisitorSession {
  let c: VisitorSession;
  try {
    c = tokens.verify<VisitorSession>(PURPOSE, token);
  } catch (e) {
    if (e instanceof SessionTokenError && e.code === 'TOKEN_EXPIRED')
      throw new FrontDoorError('SESSION_EXPIRED', 'the session has expired; log in again');
    throw new FrontDoorError('SESSION_INVALID', 'the session token is not valid');
  }
  if ((c.ch !== 'h5' && c.ch !== 'mp') || typeof c.app !== 'string' || typeof c.oid !== 'string') {
    throw new FrontDoorError('SESSION_INVALID', 'the session token is not valid');
  }
  return { ch: c.ch, app: c.app, oid: c.oid, ...(typeof c.uid === 'string' ? { uid: c.uid } : {}) };
}

/** The identity a session speaks for (DESIGN §3: `h5_openid` / `mp_openid`, scope = appid). */
export function subjectOf(s: VisitorSession): IdentityRef {
  return { type: s.ch === 'h5' ? 'h5_openid' : 'mp_openid', scope: s.app, value: s.oid };
}
