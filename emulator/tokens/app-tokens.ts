import { ID_ALPHABET, type Prng } from '../core/hash';
import { WxError } from '../core/wx-error';

/**
 * OA / MP access tokens (wechat-api.md §1.1, §1.2, §1.6, §13 items 1–2).
 * `/cgi-bin/token`: every call mints a token and the previous one keeps working for 300 s, then 40001.
 * `/cgi-bin/stable_token`: the same token while valid, rotated during its last 300 s (old and new both valid);
 * force_refresh invalidates the previous stable token (≤20/day, ≥30 s apart or nothing happens).
 * The two kinds are isolated: minting one never affects the other.
 * https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html
 * https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/getStableAccessToken.html
 */
export interface AppToken {
  value: string;
  appId: string;
  kind: 'classic' | 'stable';
  expiresAt: number;
  /** When set, the token stops working at this time (superseded + grace, or invalidated by force_refresh). */
  revokedAt: number | undefined;
}

export const TOKEN_TTL = 7200;
export const GRACE_SECONDS = 300;
const FORCE_PER_DAY = 20;
const FORCE_MIN_GAP = 30;

export function beijingDay(nowSeconds: number): number {
  return Math.floor((nowSeconds + 8 * 3600) / 86_400);
}

export class AppTokenStore {
  private readonly byValue = new Map<string, AppToken>();
  private readonly classic = new Map<string, AppToken>();
  private readonly stable = new Map<string, AppToken>();
  private readonly forced = new Map<string, { day: number; count: number; last: number }>();
  private seq = 0;

  constructor(private readonly rng: Prng) {}

  issueClassic(appId: string, now: number): AppToken {
    const prev = this.classic.get(appId);
    if (prev && prev.revokedAt === undefined) prev.revokedAt = now + GRACE_SECONDS;
    const t = this.mint(appId, 'classic', now);
    this.classic.set(appId, t);
    return t;
  }

  stableToken(appId: string, now: number, force: boolean): AppToken {
    const cur = this.stable.get(appId);
    const usable = cur !== undefined && cur.revokedAt === undefined && now < cur.expiresAt;
    if (force) {
      const f = this.forced.get(appId);
      const day = beijingDay(now);
      const used = f && f.day === day ? f.count : 0;
      if (f && usable && now - f.last < FORCE_MIN_GAP) return cur;
      if (used >= FORCE_PER_DAY) throw new WxError(45009);
      this.forced.set(appId, { day, count: used + 1, last: now });
      if (cur && cur.revokedAt === undefined) cur.revokedAt = now;
      return this.nextStable(appId, now);
    }
    if (usable && now < cur.expiresAt - GRACE_SECONDS) return cur;
    // Last 300 s of validity (or none valid): a new token; the old one runs until its own expiry.
    return this.nextStable(appId, now);
  }

  /** The token record behind an access_token, or the errcode WeChat gives for it. */
  validate(value: string, now: number): AppToken {
    const t = this.byValue.get(value);
    if (!t) throw new WxError(40014);
    if (now >= t.expiresAt) throw new WxError(42001);
    if (t.revokedAt !== undefined && now >= t.revokedAt) throw new WxError(40001);
    return t;
  }

  private nextStable(appId: string, now: number): AppToken {
    const t = this.mint(appId, 'stable', now);
    this.stable.set(appId, t);
    return t;
  }

  private mint(appId: string, kind: AppToken['kind'], now: number): AppToken {
    const seq = ++this.seq;
    if (seq % 1000 === 0) this.prune(now);
    const t: AppToken = {
      value: `${80 + (seq % 20)}_${this.rng.chars(136, ID_ALPHABET)}`,
      appId,
      kind,
      expiresAt: now + TOKEN_TTL,
      revokedAt: undefined,
    };
    this.byValue.set(t.value, t);
    return t;
  }

  /** Forget tokens dead for a day (they would answer 40014 instead of 42001/40001 afterwards). */
  private prune(now: number): void {
    for (const [v, t] of this.byValue)
      if (Math.min(t.expiresAt, t.revokedAt ?? Infinity) + 86_400 < now) this.byValue.delete(v);
  }
}
