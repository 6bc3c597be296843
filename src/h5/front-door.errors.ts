import { isWechatApiError } from '../../connectors/common/http/wechat-api-error';
import { DomainError, type ErrorStatusTable } from '../errors/domain-error';

/**
 * Refusals of the H5 / Mini Program front doors (DESIGN §8.2). Each code has one status; the JSON error middleware
 * renders them as `{error:{code,message}}` and the browser routes as an HTML page with the same status.
 */
export const FRONT_DOOR_ERROR_STATUS = {
  ACCOUNT_NOT_FOUND: 404,
  REDIRECT_NOT_ALLOWED: 400,
  URL_NOT_ALLOWED: 400,
  INVALID_SCOPE: 400,
  INVALID_STATE: 400,
  AUTHORIZATION_DECLINED: 400,
  INVALID_CODE: 400,
  INVALID_ANONYMOUS_ID: 400,
  SNAPSHOT_USER: 403,
  CUSTOMER_ERASED: 403,
  LOGIN_BLOCKED: 403,
  SESSION_REQUIRED: 401,
  SESSION_INVALID: 401,
  SESSION_EXPIRED: 401,
  WRONG_APP: 403,
  RATE_LIMITED: 429,
  WECHAT_UNAVAILABLE: 502,
} as const satisfies ErrorStatusTable;

export type FrontDoorErrorCode = keyof typeof FRONT_DOOR_ERROR_STATUS;

export class FrontDoorError extends DomainError<FrontDoorErrorCode> {
  readonly domain = 'front-door';
}

/**
 * A failed WeChat call as the visitor should see it: a used, expired or unknown code is the visitor's to retry
 * (400), a blocked login 403, rate limits 429, anything else 502 (never 500: WeChat failing is not our bug).
 * Errors that are not WeChat's propagate unchanged (an unconfigured account's UnknownAccountError already answers
 * 404 ACCOUNT_NOT_FOUND through the tokens table).
 */
export function frontDoorErrorOf(e: unknown, what: string): unknown {
  if (!isWechatApiError(e)) return e;
  const because = e.errcode !== null ? ` (errcode ${e.errcode})` : '';
  switch (e.category) {
    case 'INVALID_CODE':
      return new FrontDoorError(
        'INVALID_CODE',
        `the ${what} code is invalid, expired or already used${because}; start again`,
      );
    case 'PERMISSION_DENIED':
      return new FrontDoorError('LOGIN_BLOCKED', `WeChat refused the ${what}${because}`);
    case 'RATE_LIMITED':
      return new FrontDoorError('RATE_LIMITED', `WeChat rate-limited the ${what}${because}; try again later`);
    default:
      return new FrontDoorError('WECHAT_UNAVAILABLE', `WeChat could not complete the ${what}${because}`);
  }
}
