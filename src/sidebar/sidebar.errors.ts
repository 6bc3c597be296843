import { DomainError, type ErrorStatusTable } from '../errors/domain-error';

/**
 * Refusals of the WeCom sidebar (DESIGN §7). The API answers them as `{error:{code,message}}`, the page and
 * OAuth routes as an HTML page with the same status.
 */
export const SIDEBAR_ERROR_STATUS = {
  CORP_REQUIRED: 400,
  CORP_NOT_FOUND: 404,
  SIDEBAR_NOT_CONFIGURED: 404,
  NOT_A_MEMBER: 403,
  SESSION_REQUIRED: 401,
  SESSION_INVALID: 401,
  SESSION_EXPIRED: 401,
  CSRF_HEADER_REQUIRED: 403,
  NOT_YOUR_CUSTOMER: 403,
  CUSTOMER_NOT_FOUND: 404,
} as const satisfies ErrorStatusTable;

export type SidebarErrorCode = keyof typeof SIDEBAR_ERROR_STATUS;

export class SidebarError extends DomainError<SidebarErrorCode> {
  readonly domain = 'sidebar';
}
