export interface RetryPolicy {
  /** Attempts per call, including the first. */
  maxAttempts: number;
  /** Total time a call may spend across attempts and backoff sleeps, ms. */
  budgetMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface WechatHttpOptions extends RetryPolicy {
  /** Per-request timeout, ms. */
  timeoutMs: number;
  /** Calls in flight at once for one account. */
  concurrency: number;
}

export const DEFAULT_HTTP_OPTIONS: Readonly<WechatHttpOptions> = Object.freeze({
  timeoutMs: 10_000,
  maxAttempts: 4,
  budgetMs: 30_000,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  concurrency: 8,
});

export function httpOptions(overrides: Partial<WechatHttpOptions> = {}): WechatHttpOptions {
  return { ...DEFAULT_HTTP_OPTIONS, ...overrides };
}
