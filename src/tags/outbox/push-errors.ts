import { WechatApiError, type WechatErrorCategory } from '../../../connectors/common/http/wechat-api-error';
import { NotConfiguredError } from '../../../connectors/common/http/not-configured-error';
import { UnknownAccountError } from '../../tokens/unknown-account.error';

/**
 * How the outbox treats a failed push (DESIGN §5), by the category the connector's errcode table gives: a
 * temporary failure (-1, a network error with no envelope), a rate limit and a token error (already refreshed and
 * retried once by the HTTP client) are retried later with backoff and jitter; everything else WeChat refuses (a
 * user's 20 tags, the account's 100 tags, a tag or relation gone, an openid not the account's …) is permanent and
 * the row goes dead with the errcode. A retryable failure also goes dead after MAX_ATTEMPTS, so a limit is
 * reported instead of being retried forever.
 */
export const MAX_ATTEMPTS = 8;
const TRANSIENT: ReadonlySet<WechatErrorCategory> = new Set(['TEMPORARY', 'RATE_LIMITED', 'TOKEN_EXPIRED']);
/** A rate limit whose window is this long or longer is the whole account's (a quota), not one call's (concurrency). */
const ACCOUNT_WINDOW_MS = 60_000;
const BASE_MS = 2_000;
const CAP_MS = 10 * 60_000;

export interface PushFailure {
  permanent: boolean;
  errcode: number | null;
  message: string;
  /** Minimum wait WeChat asks for (a per-minute quota: the next minute). */
  retryAfterMs: number;
  /** Every push to this account waits `retryAfterMs`: WeChat blocks the account's calls, not just this one. */
  blocksAccount: boolean;
}

/** A binding whose remote tag cannot be created (the account's tag cap, a name WeChat rejects). */
export class BindingFailedError extends Error {
  readonly code = 'BINDING_FAILED';

  constructor(
    readonly errcode: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'BindingFailedError';
  }
}

export function classifyFailure(err: unknown): PushFailure {
  if (err instanceof WechatApiError) {
    const retryAfterMs = (err.retryAfterSeconds ?? 0) * 1000;
    const blocksAccount = err.category === 'RATE_LIMITED' && retryAfterMs >= ACCOUNT_WINDOW_MS;
    // No envelope at all (a network error, an HTTP failure): WeChat refused nothing, so it is worth another try.
    const transient = err.errcode === null || TRANSIENT.has(err.category);
    return { permanent: !transient, errcode: err.errcode, message: err.message, retryAfterMs, blocksAccount };
  }
  if (err instanceof BindingFailedError)
    return { permanent: true, errcode: err.errcode, message: err.message, retryAfterMs: 0, blocksAccount: false };
  if (err instanceof UnknownAccountError || err instanceof NotConfiguredError)
    return { permanent: true, errcode: null, message: err.message, retryAfterMs: 0, blocksAccount: false };
  // Database hiccups and anything unexpected: try again later; the attempt cap ends it.
  return {
    permanent: false,
    errcode: null,
    message: err instanceof Error ? err.message : String(err),
    retryAfterMs: 0,
    blocksAccount: false,
  };
}

/** Exponential backoff with full jitter on top of WeChat's own minimum wait. `attempt` counts from 1. */
export function retryDelayMs(attempt: number, failure: PushFailure, random: () => number = Math.random): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempt - 1));
  return failure.retryAfterMs + Math.floor(random() * ceiling);
}
