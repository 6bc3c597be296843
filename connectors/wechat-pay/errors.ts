import type { ErrcodeRule } from '../common/http/errcode-table';
import { WechatApiError } from '../common/http/wechat-api-error';

/**
 * WeChat Pay APIv3 error codes: no errcode envelope; the HTTP status says success or failure and the body is
 * `{code, message}` with a string code. Table by code, with the HTTP status as fallback.
 * https://pay.weixin.qq.com/docs/merchant/development/interface-rules/error-code.html
 */
export const PAY_ERROR_CODES: ReadonlyMap<string, ErrcodeRule> = new Map<string, ErrcodeRule>([
  ['SYSTEM_ERROR', { category: 'TEMPORARY', retryable: true }],
  ['BANKERROR', { category: 'TEMPORARY', retryable: true }],
  ['FREQUENCY_LIMITED', { category: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 1 }],
  ['ORDER_NOT_EXIST', { category: 'NOT_FOUND' }],
  ['RESOURCE_NOT_EXISTS', { category: 'NOT_FOUND' }],
  ['SIGN_ERROR', { category: 'AUTH_FAILED' }],
  ['MCH_NOT_EXISTS', { category: 'AUTH_FAILED' }],
  ['NO_AUTH', { category: 'PERMISSION_DENIED' }],
  ['PARAM_ERROR', { category: 'INVALID_REQUEST' }],
  ['INVALID_REQUEST', { category: 'INVALID_REQUEST' }],
]);

function ruleForStatus(status: number): ErrcodeRule {
  if (status >= 500) return { category: 'TEMPORARY', retryable: true };
  if (status === 429) return { category: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 1 };
  if (status === 401) return { category: 'AUTH_FAILED' };
  if (status === 403) return { category: 'PERMISSION_DENIED' };
  if (status === 404) return { category: 'NOT_FOUND' };
  return { category: status >= 400 ? 'INVALID_REQUEST' : 'UNKNOWN' };
}

export function payApiError(api: string, status: number, body: unknown): WechatApiError {
  const { code, message } = (typeof body === 'object' && body !== null ? body : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const remoteCode = typeof code === 'string' ? code : undefined;
  const rule = (remoteCode !== undefined ? PAY_ERROR_CODES.get(remoteCode) : undefined) ?? ruleForStatus(status);
  return new WechatApiError({
    api,
    errcode: null,
    errmsg: typeof message === 'string' ? message : `HTTP ${status}`,
    category: rule.category,
    retryable: rule.retryable ?? false,
    httpStatus: status,
    ...(remoteCode !== undefined ? { remoteCode } : {}),
    ...(rule.retryAfterSeconds !== undefined ? { retryAfterSeconds: rule.retryAfterSeconds } : {}),
  });
}
