import { randomBytes } from 'crypto';
import type { OauthScope } from '../../connectors/h5/client-types';
import type { SessionTokens } from '../auth/session-token';
import type { DataSource } from '../storage';
import { FrontDoorError } from './front-door.errors';
import { deleteExpiredStates, markStateUsed } from '../storage/h5/oauth-used-state.repository';

/** What the login step hands to the callback step, inside the signed state cookie. */
export interface OauthStateClaims {
  /** The `state` sent to WeChat. */
  st: string;
  app: string;
  /** Where to send the browser afterwards (already checked against the allow-list). */
  r: string;
  sc: OauthScope;
  /** The visitor's anonymous id before login (DESIGN §11), merged into them once signed in. */
  an?: string;
}

export interface IssuedState {
  state: string;
  cookieName: string;
  cookieValue: string;
  cookiePath: string;
  maxAgeSeconds: number;
}

/** WeChat codes live 5 minutes; a visitor gets twice that from our redirect to the callback. */
export const OAUTH_STATE_TTL_SECONDS = 600;
const PURPOSE = 'h5-oauth-state';

/** One cookie per login attempt, so two tabs logging in at once do not overwrite each other's state. */
export const stateCookieName = (state: string): string => `siyu_oauth_${state}`;
export const callbackPath = (appId: string): string => `/h5/${encodeURIComponent(appId)}/oauth/callback`;

/**
 * OAuth `state` for CSRF protection (wechat-api.md §7.1; RFC 6749 §10.12): a random value WeChat echoes back,
 * bound to the browser by a signed, short-lived, http-only cookie scoped to the callback path. Single use: the
 * callback clears the cookie, and consumed states are remembered until they expire — in `oauth_used_states`
 * (one atomic insert, shared by every instance) when a database is given, with this instance's memory in front
 * — so a replayed callback (same state, same cookie) is refused on any instance even if the browser kept it.
 */
export class OauthStates {
  private readonly consumed = new Map<string, number>();

  private consumes = 0;

  constructor(
    private readonly tokens: SessionTokens,
    private readonly now: () => number,
    /** Consumed states remembered at most (memory bound). */
    private readonly maxRemembered = 100_000,
    /** Shared store of consumed states across instances; without it, single use holds per instance. */
    private readonly ds?: DataSource,
  ) {}

  issue(appId: string, redirect: string, scope: OauthScope, anonymousId?: string): IssuedState {
    // 32 hex chars: inside WeChat's `state` rule (≤128 bytes of [a-zA-Z0-9]).
    const state = randomBytes(16).toString('hex');
    const claims: OauthStateClaims = {
      st: state,
      app: appId,
      r: redirect,
      sc: scope,
      ...(anonymousId ? { an: anonymousId } : {}),
    };
    return {
      state,
      cookieName: stateCookieName(state),
      cookieValue: this.tokens.sign(PURPOSE, claims, OAUTH_STATE_TTL_SECONDS),
      cookiePath: callbackPath(appId),
      maxAgeSeconds: OAUTH_STATE_TTL_SECONDS,
    };
  }

  /** The login attempt behind `state`, consumed; INVALID_STATE when missing, forged, expired, foreign or reused. */
  async consume(appId: string, state: unknown, cookieValue: string | undefined): Promise<OauthStateClaims> {
    if (typeof state !== 'string' || !/^[0-9a-f]{32}$/.test(state))
      throw invalid('the login state is missing or malformed');
    if (!cookieValue) throw invalid('this browser did not start this login (no state cookie)');
    let claims: OauthStateClaims & { exp: number };
    try {
      claims = this.tokens.verify<OauthStateClaims>(PURPOSE, cookieValue);
    } catch {
      throw invalid('the login state is invalid or has expired');
    }
    if (claims.st !== state || claims.app !== appId) throw invalid('the login state does not match this browser');
    const nowSeconds = Math.floor(this.now() / 1000);
    this.forgetExpired(nowSeconds);
    if (this.consumed.has(state)) throw invalid('this login link was already used');
    this.consumed.set(state, claims.exp);
    if (this.ds) {
      if (!(await markStateUsed(this.ds, state, new Date(claims.exp * 1000))))
        throw invalid('this login link was already used');
      if (++this.consumes % 100 === 0) await deleteExpiredStates(this.ds, new Date(this.now()));
    }
    return { st: claims.st, app: claims.app, r: claims.r, sc: claims.sc, ...(claims.an ? { an: claims.an } : {}) };
  }

  /**
   * States are consumed in roughly the order they expire, so dropping expired ones from the front is amortised
   * O(1); a state consumed out of order just stays a little longer. The cap bounds memory under a flood of
   * logins by dropping the oldest (their cookies were cleared on use anyway).
   */
  private forgetExpired(nowSeconds: number): void {
    for (const [s, exp] of this.consumed) {
      if (exp > nowSeconds && this.consumed.size < this.maxRemembered) break;
      this.consumed.delete(s);
    }
  }
}

function invalid(message: string): FrontDoorError {
  return new FrontDoorError('INVALID_STATE', `${message}; start the login again`);
}
