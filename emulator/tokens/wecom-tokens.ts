import { ID_ALPHABET, type Prng } from '../core/hash';
import { WxError } from '../core/wx-error';
import type { CorpApp } from '../world/apps';
import { TOKEN_TTL } from './app-tokens';

/**
 * WeCom access tokens (wechat-api.md §1.3, §13 item 3): one per (corpid, app secret); repeated gettoken calls
 * within validity return the same token, a new one after expiry. WeCom may invalidate tokens early, so the
 * control API can revoke them (→ 40014) or expire them (→ 42001) to exercise a connector's recovery.
 * https://developer.work.weixin.qq.com/document/path/91039
 */
export interface WecomToken {
  value: string;
  corpId: string;
  app: CorpApp;
  expiresAt: number;
}

export class WecomTokenStore {
  private readonly byValue = new Map<string, WecomToken>();
  private readonly current = new Map<string, WecomToken>();

  constructor(private readonly rng: Prng) {}

  get(corpId: string, app: CorpApp, now: number): WecomToken {
    const key = `${corpId}|${app.secret}`;
    const cur = this.current.get(key);
    if (cur && now < cur.expiresAt && this.byValue.has(cur.value)) return cur;
    const t: WecomToken = { value: this.rng.chars(214, ID_ALPHABET), corpId, app, expiresAt: now + TOKEN_TTL };
    this.current.set(key, t);
    this.byValue.set(t.value, t);
    return t;
  }

  validate(value: string, now: number): WecomToken {
    const t = this.byValue.get(value);
    if (!t) throw new WxError(40014);
    if (now >= t.expiresAt) throw new WxError(42001);
    return t;
  }

  /** Early invalidation hook; returns how many tokens were affected. */
  invalidate(corpId: string, mode: 'invalid' | 'expired', now: number, app?: CorpApp): number {
    let n = 0;
    for (const [key, t] of this.current) {
      if (t.corpId !== corpId || (app && t.app !== app)) continue;
      if (mode === 'invalid') this.byValue.delete(t.value);
      else t.expiresAt = Math.min(t.expiresAt, now);
      this.current.delete(key);
      n++;
    }
    return n;
  }
}
