import { isWechatApiError } from '../../connectors/common/http/wechat-api-error';
import { DomainError, type ErrorStatusTable } from '../errors/domain-error';

/**
 * Typed failures of the channel API (DESIGN §10.2, §13) and their status. WeChat refusing a code (a bad member,
 * a quota used up) is the caller's to fix, so a 4xx naming it; WeChat failing is a 502.
 */
export const CHANNEL_ERROR_STATUS = {
  NOT_FOUND: 404,
  ACCOUNT_NOT_FOUND: 404,
  VALIDATION_FAILED: 422,
  WECHAT_REFUSED: 422,
  WECHAT_LIMIT_REACHED: 409,
  WECHAT_RATE_LIMITED: 429,
  WECHAT_UNAVAILABLE: 502,
} as const satisfies ErrorStatusTable;

export type ChannelErrorCode = keyof typeof CHANNEL_ERROR_STATUS;

export class ChannelError extends DomainError<ChannelErrorCode> {
  readonly domain = 'channels';
}

export const channelNotFound = (id: string): ChannelError => new ChannelError('NOT_FOUND', `channel ${id} not found`);
export const channelInvalid = (message: string, details?: unknown): ChannelError =>
  new ChannelError('VALIDATION_FAILED', message, details);

/** A failed WeChat call while creating, changing or deleting a code, as the operator should see it. */
export function channelErrorOf(e: unknown, what: string): unknown {
  if (!isWechatApiError(e)) return e;
  const because = e.errcode !== null ? ` (errcode ${e.errcode}: ${e.errmsg})` : '';
  switch (e.category) {
    case 'INVALID_REQUEST':
    case 'NOT_FOUND':
    case 'PERMISSION_DENIED':
    case 'CONFLICT':
      return new ChannelError('WECHAT_REFUSED', `WeChat refused to ${what}${because}`, { errcode: e.errcode });
    case 'LIMIT_EXCEEDED':
      return new ChannelError('WECHAT_LIMIT_REACHED', `WeChat's limit stops us: cannot ${what}${because}`, {
        errcode: e.errcode,
      });
    case 'RATE_LIMITED':
      return new ChannelError('WECHAT_RATE_LIMITED', `WeChat rate-limited the call to ${what}; try again later`);
    default:
      return new ChannelError('WECHAT_UNAVAILABLE', `WeChat could not ${what}${because}`);
  }
}
