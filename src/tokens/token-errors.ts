/**
 * No token could be produced: the refresh lock stayed busy past its wait and the stored token is expired.
 * WeChat's own refusals surface as WechatApiError from the fetch instead.
 */
export class TokenUnavailableError extends Error {
  readonly code = 'TOKEN_UNAVAILABLE';

  constructor(readonly account: string, readonly kind: string, readonly key: string, reason: string) {
    super(`token ${kind}/${key} of ${account} unavailable: ${reason}`);
    this.name = 'TokenUnavailableError';
  }
}
