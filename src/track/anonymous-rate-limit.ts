import { FrontDoorError } from '../h5/front-door.errors';

/** Calls per window: per anonymous id (one browser) and per client address (a NAT may hold many visitors). */
export interface AnonymousLimits {
  windowMs: number;
  perVisitor: number;
  perAddress: number;
}

export const DEFAULT_ANONYMOUS_LIMITS: AnonymousLimits = { windowMs: 60_000, perVisitor: 120, perAddress: 1_200 };
/** Keys remembered at most: a flood of random ids cannot grow memory without bound (the window is then restarted). */
const MAX_KEYS = 100_000;

/**
 * Fixed-window counters for `POST /track` without a login (DESIGN §11: rate-limited per anonymousId and client
 * address). Per process: with several instances behind a balancer the limit is per instance, which bounds
 * abuse just as well without a database write per anonymous call.
 */
export class AnonymousRateLimit {
  private windowStart = 0;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly limits: AnonymousLimits = DEFAULT_ANONYMOUS_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a call from the address (before the body is read); 429 RATE_LIMITED once over the limit. */
  address(ip: string): void {
    this.take(`ip:${ip}`, this.limits.perAddress, 'this address');
  }

  /** Counts a call of the visitor; 429 RATE_LIMITED once over the limit. */
  visitor(anonymousId: string): void {
    this.take(`id:${anonymousId}`, this.limits.perVisitor, 'this visitor');
  }

  /** Seconds until the current window ends (the Retry-After of a refusal). */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.windowStart + this.limits.windowMs - this.now()) / 1000));
  }

  private take(key: string, limit: number, who: string): void {
    const t = this.now();
    if (t - this.windowStart >= this.limits.windowMs || this.counts.size >= MAX_KEYS) {
      this.windowStart = t;
      this.counts.clear();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    if (n > limit) {
      const retryAfterSeconds = this.retryAfterSeconds();
      throw new FrontDoorError(
        'RATE_LIMITED',
        `too many anonymous tracking calls from ${who}; retry in ${retryAfterSeconds} s`,
        { retryAfterSeconds },
      );
    }
  }
}
