import type { z, ZodType } from 'zod';
import { isWechatApiError } from '../../connectors/common/http/wechat-api-error';
import { DomainError, type ErrorStatusTable } from '../errors/domain-error';
import { parseBodyWith } from '../errors/parse-body';

/**
 * Typed failures of the transfer API (DESIGN §10.3) and their status. WeChat refusing the whole request (a
 * member unknown or not departed for a resigned transfer) is the operator's to fix, a 422; WeChat failing, a 502.
 */
export const TRANSFER_ERROR_STATUS = {
  NOT_FOUND: 404,
  VALIDATION_FAILED: 422,
  WECHAT_REFUSED: 422,
  WECHAT_RATE_LIMITED: 429,
  WECHAT_UNAVAILABLE: 502,
} as const satisfies ErrorStatusTable;

export type TransferErrorCode = keyof typeof TRANSFER_ERROR_STATUS;

export class TransferError extends DomainError<TransferErrorCode> {
  readonly domain = 'transfers';
}

export const transferNotFound = (id: string): TransferError =>
  new TransferError('NOT_FOUND', `transfer ${id} not found`);
export const transferInvalid = (message: string, details?: unknown): TransferError =>
  new TransferError('VALIDATION_FAILED', message, details);

/** A WeChat call of a transfer that failed as a whole, as the operator should see it. */
export function transferErrorOf(e: unknown, what: string): unknown {
  if (!isWechatApiError(e)) return e;
  const because = e.errcode !== null ? ` (errcode ${e.errcode}: ${e.errmsg})` : '';
  switch (e.category) {
    case 'RATE_LIMITED':
      return new TransferError('WECHAT_RATE_LIMITED', `WeChat rate-limited the call to ${what}; try again later`);
    case 'TEMPORARY':
    case 'TOKEN_EXPIRED':
    case 'AUTH_FAILED':
      return new TransferError('WECHAT_UNAVAILABLE', `WeChat could not ${what}${because}`);
    default:
      return new TransferError('WECHAT_REFUSED', `WeChat refused to ${what}${because}`, { errcode: e.errcode });
  }
}

/** A request body checked against its schema; every problem is named in the 422. */
export function parseTransferBody<T extends ZodType>(schema: T, body: unknown): z.infer<T> {
  return parseBodyWith(schema, body, transferInvalid);
}
