import { DomainError, type ErrorStatusTable } from '../errors/domain-error';

/**
 * Failures of reaching an account's WeChat credentials. A token still being refreshed elsewhere is temporary
 * (503, retry shortly); an account nobody configured is the caller naming the wrong one (404).
 */
export const TOKEN_ERROR_STATUS = {
  TOKEN_UNAVAILABLE: 503,
  ACCOUNT_NOT_FOUND: 404,
} as const satisfies ErrorStatusTable;

export type TokenErrorCode = keyof typeof TOKEN_ERROR_STATUS;

/**
 * No token could be produced: the refresh lock stayed busy past its wait and the stored token is expired.
 * WeChat's own refusals surface as WechatApiError from the fetch instead.
 */
export class TokenUnavailableError extends DomainError<'TOKEN_UNAVAILABLE'> {
  readonly domain = 'tokens';

  constructor(
    readonly account: string,
    readonly kind: string,
    readonly key: string,
    reason: string,
  ) {
    super('TOKEN_UNAVAILABLE', `token ${kind}/${key} of ${account} unavailable: ${reason}`);
  }
}
