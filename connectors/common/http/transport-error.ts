import { isAxiosError } from 'axios';
import { WechatApiError } from './wechat-api-error';

/**
 * A call that got no WeChat envelope back (connection refused/reset, DNS, timeout) is TEMPORARY and retryable:
 * WeChat has not said no. The message names the failure kind only: axios errors carry the request URL, which
 * holds the access_token.
 */
export function transportError(api: string, e: unknown): WechatApiError {
  const code = isAxiosError(e) ? (e.code ?? 'ERR_NETWORK') : 'ERR_UNKNOWN';
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
  return new WechatApiError({
    api,
    errcode: null,
    errmsg: timedOut ? 'request timed out' : `network error ${code}`,
    category: 'TEMPORARY',
    retryable: true,
    remoteCode: code,
  });
}
