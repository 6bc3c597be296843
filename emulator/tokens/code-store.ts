import { ALNUM, type Prng } from '../core/hash';

/**
 * Single-use, short-lived codes: H5 OAuth codes, WeCom OAuth codes, Mini Program js codes and phone codes all
 * expire after 5 minutes and work once (wechat-api.md §6.1, §6.2, §7.1, §5.11, §13 item 14).
 */
export const CODE_TTL = 300;

export type Consumed<T> = { status: 'ok'; payload: T } | { status: 'unknown' | 'used' | 'expired'; payload?: T };

interface CodeRecord<T> {
  payload: T;
  expiresAt: number;
  used: boolean;
}

export class CodeStore<T> {
  private readonly codes = new Map<string, CodeRecord<T>>();

  constructor(
    private readonly rng: Prng,
    private readonly length = 32,
  ) {}

  mint(payload: T, now: number, ttl = CODE_TTL): { code: string; expiresAt: number } {
    if (this.codes.size > 100_000) this.prune(now);
    const code = this.rng.chars(this.length, ALNUM);
    this.codes.set(code, { payload, expiresAt: now + ttl, used: false });
    return { code, expiresAt: now + ttl };
  }

  consume(code: unknown, now: number): Consumed<T> {
    const r = typeof code === 'string' ? this.codes.get(code) : undefined;
    if (!r) return { status: 'unknown' };
    if (r.used) return { status: 'used', payload: r.payload };
    if (now >= r.expiresAt) return { status: 'expired', payload: r.payload };
    r.used = true;
    return { status: 'ok', payload: r.payload };
  }

  private prune(now: number): void {
    for (const [c, r] of this.codes) if (r.used || now >= r.expiresAt + 3600) this.codes.delete(c);
  }
}
