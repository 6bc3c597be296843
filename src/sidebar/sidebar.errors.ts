import { HttpError } from '../http/http-error';

/**
 * Refusals of the WeCom sidebar (DESIGN §7). The API answers them as `{error:{code,message}}`, the page and
 * OAuth routes as an HTML page with the same status.
 */
const STATUS = {
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
} as const;

export type SidebarErrorCode = keyof typeof STATUS;

export class SidebarError extends HttpError {
  declare readonly code: SidebarErrorCode;

  constructor(code: SidebarErrorCode, message: string) {
    super(STATUS[code], code, message);
    this.name = 'SidebarError';
  }
}
