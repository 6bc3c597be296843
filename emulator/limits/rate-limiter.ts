import { WxError, type Product } from '../core/wx-error';
import { beijingDay } from '../tokens/app-tokens';
import { defaultLimit, type LimitSpec } from './limit-table';

/**
 * Per-API minute / hour / day counters and a concurrency cap (wechat-api.md §13 item 8). OA, MP and H5 answer
 * 45011 for the minute window and 45009 for the day; WeCom answers 45009 for every window and keeps the caller
 * blocked for the window's length (minute → 60 s, hour → 60 min) from the moment it is hit. Concurrency over
 * the cap gets 45033. Rejected calls are not counted. Days are Beijing natural days.
 */
interface Window {
  minute: number;
  minuteCount: number;
  hour: number;
  hourCount: number;
  day: number;
  dayCount: number;
  blockedUntil: number;
}

export interface LimitOverride extends LimitSpec {
  api: string;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly inflight = new Map<string, number>();
  private readonly overrides = new Map<string, LimitSpec>();

  spec(api: string, product: Product): LimitSpec | undefined {
    const o = this.overrides.get(api);
    const d = defaultLimit(api, product);
    return o ? { ...d, ...o } : d;
  }

  /** Explicit settings per API; a field set to 0 removes that limit. */
  override(api: string, spec: LimitSpec): void {
    this.overrides.set(api, { ...this.overrides.get(api), ...spec });
  }

  overridesList(): LimitOverride[] {
    return [...this.overrides].map(([api, s]) => ({ api, ...s }));
  }

  clearOverrides(): void {
    this.overrides.clear();
  }

  /** Counts one call or throws the errcode of the exhausted window. */
  hit(api: string, scope: string, product: Product, now: number): void {
    const spec = this.spec(api, product);
    if (!spec || (!spec.perMinute && !spec.perHour && !spec.perDay)) return;
    const key = `${api}|${scope}`;
    const w = this.window(key, now);
    const wecom = product === 'wecom';
    if (wecom && now < w.blockedUntil) throw new WxError(45009);
    if (spec.perDay && w.dayCount >= spec.perDay) throw new WxError(45009);
    if (spec.perHour && w.hourCount >= spec.perHour) {
      if (wecom) w.blockedUntil = now + 3600;
      throw new WxError(45009);
    }
    if (spec.perMinute && w.minuteCount >= spec.perMinute) {
      if (wecom) w.blockedUntil = now + 60;
      throw new WxError(wecom ? 45009 : 45011);
    }
    w.minuteCount++;
    w.hourCount++;
    w.dayCount++;
  }

  /** Enters the concurrency window; the returned function leaves it. */
  enter(api: string, scope: string, product: Product): () => void {
    const cap = this.spec(api, product)?.concurrency;
    if (!cap) return () => undefined;
    const key = `${api}|${scope}`;
    const n = this.inflight.get(key) ?? 0;
    if (n >= cap) throw new WxError(45033);
    this.inflight.set(key, n + 1);
    return () => this.inflight.set(key, (this.inflight.get(key) ?? 1) - 1);
  }

  /** `/cgi-bin/openapi/quota/get` style numbers for one API and scope. */
  usage(
    api: string,
    scope: string,
    product: Product,
    now: number,
  ): { daily_limit: number; used: number; remain: number } {
    const limit = this.spec(api, product)?.perDay ?? 0;
    const used = this.window(`${api}|${scope}`, now).dayCount;
    return { daily_limit: limit, used, remain: Math.max(0, limit - used) };
  }

  /** clear_quota: resets the daily counters of every API for one scope. */
  clearDaily(scope: string): void {
    for (const [key, w] of this.windows) if (key.endsWith(`|${scope}`)) w.dayCount = 0;
  }

  private window(key: string, now: number): Window {
    const minute = Math.floor(now / 60);
    const hour = Math.floor(now / 3600);
    const day = beijingDay(now);
    let w = this.windows.get(key);
    if (!w) {
      w = { minute, minuteCount: 0, hour, hourCount: 0, day, dayCount: 0, blockedUntil: 0 };
      this.windows.set(key, w);
    }
    if (w.minute !== minute) [w.minute, w.minuteCount] = [minute, 0];
    if (w.hour !== hour) [w.hour, w.hourCount] = [hour, 0];
    if (w.day !== day) [w.day, w.dayCount] = [day, 0];
    return w;
  }
}
