import { createHmac, hkdfSync, timingSafeEqual } from 'crypto';
import type { Context } from 'koa';

/**
 * Signed, expiring tokens for visitor sessions, Mini Program tokens, OAuth state cookies and staff sessions
 * (DESIGN §7): `<payload>.<signature>`, both base64url, the payload a JSON object with `iat`/`exp` in Unix
 * seconds, the signature HMAC-SHA256 over the encoded payload. Each purpose signs with its own HKDF sub-key of
 * `security.sessionSecret`, so a token minted for one purpose (an OAuth state) never verifies as another (a
 * session). Signatures are compared in constant time; nothing here is encrypted, so claims hold no secrets.
 */
export type SessionTokenErrorCode = 'TOKEN_MALFORMED' | 'TOKEN_BAD_SIGNATURE' | 'TOKEN_EXPIRED';

export class SessionTokenError extends Error {
  constructor(
    readonly code: SessionTokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SessionTokenError';
  }
}

export interface TokenTimes {
  /** Issued at, Unix seconds. */
  iat: number;
  /** Expires at, Unix seconds (the token is refused from this second on). */
  exp: number;
}

/** Longer input is refused before any work: cookies are capped near 4 KiB anyway. */
const MAX_TOKEN_CHARS = 4096;
const SIG_BYTES = 32;

export class SessionTokens {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {
    if (secret === '') throw new RangeError('security.sessionSecret must not be empty');
  }

  sign<T extends object>(purpose: string, claims: T, ttlSeconds: number): string {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new RangeError('ttlSeconds must be a positive integer');
    const iat = Math.floor(this.now() / 1000);
    const payload = Buffer.from(JSON.stringify({ ...claims, iat, exp: iat + ttlSeconds }), 'utf8').toString(
      'base64url',
    );
    return `${payload}.${this.mac(purpose, payload).toString('base64url')}`;
  }

  /** The claims of a token signed for `purpose` that has not expired; SessionTokenError otherwise. */
  verify<T extends object>(purpose: string, token: string): T & TokenTimes {
    if (token.length > MAX_TOKEN_CHARS) throw new SessionTokenError('TOKEN_MALFORMED', 'token is too long');
    const dot = token.indexOf('.');
    if (dot <= 0 || dot !== token.lastIndexOf('.'))
      throw new SessionTokenError('TOKEN_MALFORMED', 'token is not <payload>.<signature>');
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = this.mac(purpose, payload);
    // Length first: timingSafeEqual throws on unequal lengths, and the length of a MAC is public anyway.
    if (given.length !== SIG_BYTES || !timingSafeEqual(given, expected))
      throw new SessionTokenError('TOKEN_BAD_SIGNATURE', 'token signature does not verify');
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new SessionTokenError('TOKEN_MALFORMED', 'token payload is not JSON');
    }
    if (!isTimed(claims)) throw new SessionTokenError('TOKEN_MALFORMED', 'token payload has no iat/exp');
    if (Math.floor(this.now() / 1000) >= claims.exp) throw new SessionTokenError('TOKEN_EXPIRED', 'token has expired');
    return claims as T & TokenTimes;
  }

  private mac(purpose: string, payload: string): Buffer {
    let key = this.keys.get(purpose);
    if (!key) {
      key = Buffer.from(
        hkdfSync('sha256', Buffer.from(this.secret, 'utf8'), Buffer.alloc(0), `siyu/session/${purpose}`, 32),
      );
      this.keys.set(purpose, key);
    }
    return createHmac('sha256', key).update(payload, 'utf8').digest();
  }
}

function isTimed(v: unknown): v is TokenTimes & Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return Number.isInteger(o.iat) && Number.isInteger(o.exp);
}

export interface TokenCookieOptions {
  maxAgeSeconds: number;
  /** `server.publicUrl`: when it is https the cookie is `Secure` whatever the request looked like. */
  publicUrl: string;
  /** Narrow paths keep short-lived cookies (OAuth state) off every other request. */
  path?: string;
  /**
   * The cookie must also ride requests from pages on another site (an H5 page on the brand's domain calling
   * the gateway on its own): `SameSite=None`, which browsers accept only with `Secure`, so over plain HTTP the
   * cookie stays `Lax`.
   */
  crossSite?: boolean;
}

/**
 * DESIGN §7: `Secure` whenever `server.publicUrl` is https — behind a TLS proxy that sends no X-Forwarded-Proto
 * the request looks like plain HTTP — and otherwise whenever the request came over HTTPS (koa trusts
 * X-Forwarded-Proto: the app is built with `proxy: true`).
 */
function secureCookies(ctx: Context, publicUrl: string): boolean {
  const secure = ctx.secure || publicUrl.toLowerCase().startsWith('https:');
  // The cookies module refuses a Secure cookie on a connection it thinks is plain unless told otherwise.
  if (secure) ctx.cookies.secure = true;
  return secure;
}

/**
 * A token in an http-only cookie. `SameSite=Lax` by default: it rides the top-level redirect back from
 * WeChat's authorize page and stays off cross-site subrequests.
 */
export function setTokenCookie(ctx: Context, name: string, token: string, opts: TokenCookieOptions): void {
  const secure = secureCookies(ctx, opts.publicUrl);
  ctx.cookies.set(name, token, {
    httpOnly: true,
    sameSite: opts.crossSite && secure ? 'none' : 'lax',
    secure,
    path: opts.path ?? '/',
    maxAge: opts.maxAgeSeconds * 1000,
    overwrite: true,
    signed: false,
  });
}

export function clearTokenCookie(ctx: Context, name: string, opts: { publicUrl: string; path?: string }): void {
  const secure = secureCookies(ctx, opts.publicUrl);
  ctx.cookies.set(name, null, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: opts.path ?? '/',
    overwrite: true,
    signed: false,
  });
}
