import { WechatApiError } from '../../../connectors/common/http/wechat-api-error';
import { NotConfiguredError } from '../../../connectors/common/http/not-configured-error';
import { UnknownAccountError } from '../../tokens/unknown-account.error';

/**
 * How the outbox treats a failed push (DESIGN §5): -1, 45009, 45011, 45033 and network errors (no
 * envelope) are retried later with backoff and jitter; token errors were already refreshed and retried once by
 * the HTTP client, so one that still fails is retried later too; everything else WeChat refuses (45059 a user's
 * 20 tags, 45056 the account's 100 tags, 40068 invalid tag id, 84061 no relation, 40003 …) is permanent and the
 * row goes dead with the errcode. A retryable failure also goes dead after MAX_ATTEMPTS, so a limit is reported
 * instead of being retried forever.
 */
export const MAX_ATTEMPTS = 8;
const TRANSIENT_ERRCODES = new Set([-1, 45009, 45011, 45033]);
const BASE_MS = 2_000;
const CAP_MS = 10 * 60_000;

export interface PushFailure {
  permanent: boolean;
  errcode: number | null;
  message: string;
  /** Minimum wait WeChat asks for (45011: the next minute). */
  retryAfterMs: number;
}

/** A binding whose remote tag cannot be created (45056, 40126, a name WeChat rejects). */
export class BindingFailedError extends Error {
  readonly code = 'BINDING_FAILED';

  constructor(readonly errcode: number | null, message: string) {
    super(message);
    this.name = 'BindingFailedError';
  }
}

export function classifyFailure(err: unknown): PushFailure {
  if (err instanceof WechatApiError) {
    const transient = err.errcode === null || TRANSIENT_ERRCODES.has(err.errcode) || err.category === 'TOKEN_EXPIRED' || err.category === 'TEMPORARY';
    return { permanent: !transient, errcode: err.errcode, message: err.message, retryAfterMs: (err.retryAfterSeconds ?? 0) * 1000 };
  }
  if (err instanceof BindingFailedError) return { permanent: true, errcode: err.errcode, message: err.message, retryAfterMs: 0 };
  if (err instanceof UnknownAccountError || err instanceof NotConfiguredError) return { permanent: true, errcode: null, message: err.message, retryAfterMs: 0 };
  // Database hiccups and anything unexpected: try again later; the attempt cap ends it.
  return { permanent: false, errcode: null, message: err instanceof Error ? err.message : String(err), retryAfterMs: 0 };
}

/** Exponential backoff with full jitter on top of WeChat's own minimum wait. `attempt` counts from 1. */
export function retryDelayMs(attempt: number, failure: PushFailure, random: () => number = Math.random): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempt - 1));
  return failure.retryAfterMs + Math.floor(random() * ceiling);
}
