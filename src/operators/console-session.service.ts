import { createHash, randomBytes } from 'crypto';
import type { AppContext } from '../app-context';
import type { Principal } from '../auth/api-key.middleware';
import { isRole } from '../auth/roles';
import type { SessionTokens } from '../auth/session-token';
import type { ConsoleSessionRow } from '../storage';
import {
  endSession,
  findLiveSession,
  insertSession,
  touchSession,
} from '../storage/operators/console-session.repository';
import { stampSignIn } from '../storage/operators/operator.repository';

export const CONSOLE_COOKIE = 'siyu_console';
/** DESIGN §7.1: a session ends after 8 hours without a request, and 7 days after sign-in whatever happens. */
export const IDLE_SECONDS = 8 * 3600;
export const ABSOLUTE_SECONDS = 7 * 24 * 3600;
const PURPOSE = 'console-session';
/** last_seen_at is written at most once a minute per session, not on every request. */
const TOUCH_RESOLUTION_MS = 60_000;

interface Claims {
  s: string;
}

/**
 * Console sessions (DESIGN §7.1): a random secret in the signed `siyu_console` cookie (the same SessionTokens
 * as the sidebar's and H5 sessions, under its own purpose), and a server-side row keyed by the secret's SHA-256,
 * so logout and disabling an operator end the session on every instance at once. Every request re-reads the row
 * with its operator: the role, the enabled flag and the expiry apply at the next request.
 */
export class ConsoleSessionService {
  constructor(
    private readonly deps: Pick<AppContext, 'ds' | 'now'>,
    private readonly tokens: SessionTokens,
  ) {}

  /** Opens a session for an operator; returns the cookie value. */
  async open(operatorId: string, method: ConsoleSessionRow['method']): Promise<string> {
    const secret = randomBytes(32).toString('base64url');
    const now = this.deps.now();
    await insertSession(this.deps.ds, {
      tokenHash: hashOf(secret),
      operatorId,
      method,
      lastSeenAt: new Date(now),
      expiresAt: new Date(now + ABSOLUTE_SECONDS * 1000),
    });
    await stampSignIn(this.deps.ds, operatorId, new Date(now));
    return this.tokens.sign<Claims>(PURPOSE, { s: secret }, ABSOLUTE_SECONDS);
  }

  /** The principal of a live session, or undefined (no such session, ended, idle, expired, operator disabled). */
  async authenticate(cookie: string): Promise<Principal | undefined> {
    const secret = this.secretOf(cookie);
    if (!secret) return undefined;
    const s = await findLiveSession(this.deps.ds, hashOf(secret));
    if (!s) return undefined;
    const now = this.deps.now();
    const idle = now - s.lastSeenAt.getTime() >= IDLE_SECONDS * 1000;
    if (idle || now >= s.expiresAt.getTime() || !s.operator.enabled || !isRole(s.operator.role)) {
      await endSession(this.deps.ds, s.sessionId, new Date(now));
      return undefined;
    }
    if (now - s.lastSeenAt.getTime() > TOUCH_RESOLUTION_MS)
      await touchSession(this.deps.ds, s.sessionId, new Date(now));
    const o = s.operator;
    return {
      kind: 'operator',
      id: o.id,
      name: o.name,
      role: o.role,
      actor: `operator:${o.id}`,
      viaCookie: true,
      ...(o.corpId ? { corpId: o.corpId } : {}),
      ...(o.userid ? { userid: o.userid } : {}),
    };
  }

  /** Logout: the cookie's session ends (a forged or unknown cookie changes nothing). */
  async close(cookie: string): Promise<void> {
    const secret = this.secretOf(cookie);
    if (!secret) return;
    const s = await findLiveSession(this.deps.ds, hashOf(secret));
    if (s) await endSession(this.deps.ds, s.sessionId, new Date(this.deps.now()));
  }

  private secretOf(cookie: string): string | undefined {
    try {
      const c = this.tokens.verify<Claims>(PURPOSE, cookie);
      return typeof c.s === 'string' && c.s.length === 43 ? c.s : undefined;
    } catch {
      return undefined;
    }
  }
}

function hashOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
