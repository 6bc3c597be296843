import { DomainError, type ErrorStatusTable } from '../errors/domain-error';

/**
 * Refusals of console sign-in and operator management (DESIGN §7.1). The API answers them as
 * `{error:{code,message}}`, the browser sign-in routes as an HTML page with the same status.
 */
export const OPERATOR_ERROR_STATUS = {
  OPERATOR_NOT_FOUND: 404,
  OPERATOR_EXISTS: 409,
  VALIDATION_FAILED: 422,
  /** Unknown login and wrong password alike. */
  BAD_CREDENTIALS: 401,
  LOGIN_LOCKED: 429,
  /** A WeCom member who is not an enabled operator. */
  NOT_AN_OPERATOR: 403,
  /** A cookie-carried change from another origin. */
  CROSS_ORIGIN: 403,
  WECOM_LOGIN_UNAVAILABLE: 404,
  NEXT_NOT_ALLOWED: 400,
} as const satisfies ErrorStatusTable;

export type OperatorErrorCode = keyof typeof OPERATOR_ERROR_STATUS;

export class OperatorError extends DomainError<OperatorErrorCode> {
  readonly domain = 'operators';
}
