import { ID_ALPHABET, type Prng } from '../core/hash';
import { WxError } from '../core/wx-error';

/**
 * H5 web OAuth tokens (wechat-api.md §7.2–7.5): a per-user access_token (7200 s) usable only with /sns/*, and a
 * refresh_token valid 30 days and not renewable. Refreshing while the access_token is still valid keeps the same
 * token and extends its expiry [choice, from the website-login doc].
 * https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
 */
export type SnsScope = 'snsapi_base' | 'snsapi_userinfo';

export interface SnsGrant {
  appId: string;
  slot: number;
  scope: SnsScope;
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
}

const ACCESS_TTL = 7200;
const REFRESH_TTL = 30 * 86_400;

export class SnsTokenStore {
  private readonly byAccess = new Map<string, SnsGrant>();
  private readonly byRefresh = new Map<string, SnsGrant>();

  constructor(private readonly rng: Prng) {}

  grant(appId: string, slot: number, scope: SnsScope, now: number): SnsGrant {
    const g: SnsGrant = {
      appId,
      slot,
      scope,
      accessToken: this.token(),
      accessExpiresAt: now + ACCESS_TTL,
      refreshToken: this.token(),
      refreshExpiresAt: now + REFRESH_TTL,
    };
    this.byAccess.set(g.accessToken, g);
    this.byRefresh.set(g.refreshToken, g);
    return g;
  }

  refresh(appId: string, refreshToken: unknown, now: number): SnsGrant {
    const g = typeof refreshToken === 'string' ? this.byRefresh.get(refreshToken) : undefined;
    if (!g || g.appId !== appId) throw new WxError(40030);
    if (now >= g.refreshExpiresAt) throw new WxError(42002);
    if (now >= g.accessExpiresAt) {
      this.byAccess.delete(g.accessToken);
      g.accessToken = this.token();
      this.byAccess.set(g.accessToken, g);
    }
    g.accessExpiresAt = now + ACCESS_TTL;
    return g;
  }

  /** A live grant for an access_token; 40014 when unknown, 42001 when expired. */
  validate(accessToken: string, now: number): SnsGrant {
    const g = this.byAccess.get(accessToken);
    if (!g || g.accessToken !== accessToken) throw new WxError(40014);
    if (now >= g.accessExpiresAt) throw new WxError(42001);
    return g;
  }

  isSnsToken(value: string): boolean {
    return this.byAccess.has(value);
  }

  private token(): string {
    return `${80 + this.rng.nextInt(20)}_${this.rng.chars(120, ID_ALPHABET)}`;
  }
}
