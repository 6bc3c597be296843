import { ATTRIBUTE_ERROR_STATUS, type AttributeError } from '../../attributes/attribute.errors';
import { CHANNEL_ERROR_STATUS, type ChannelError } from '../../channels/channel.errors';
import { DomainError, unreachable, type ErrorDomain } from '../../errors/domain-error';
import { storageErrorOf, STORAGE_ERROR_STATUS, type StorageError } from '../../storage/errors';
import { SYNC_ERROR_STATUS, type SyncError } from '../../syncs/sync-errors';
import { TOKEN_ERROR_STATUS, type TokenUnavailableError } from '../../tokens/token-errors';
import type { UnknownAccountError } from '../../tokens/unknown-account.error';
import { FRONT_DOOR_ERROR_STATUS, type FrontDoorError } from '../../h5/front-door.errors';
import { IDENTITY_ERROR_STATUS, type IdentityError } from '../../identity/identity-errors';
import { SIDEBAR_ERROR_STATUS, type SidebarError } from '../../sidebar/sidebar.errors';
import { TAG_ERROR_STATUS, type TagError } from '../../tags/tag-errors';
import type { HttpError } from '../http-error';
import { TRANSFER_ERROR_STATUS, type TransferError } from '../../transfers/transfer.errors';
import { WEBHOOK_ERROR_STATUS, type WebhookError } from '../../webhooks/webhook.errors';
import { IMPORT_ERROR_STATUS, type ImportError } from '../../imports/import.errors';
import { OPERATOR_ERROR_STATUS, type OperatorError } from '../../operators/operator.errors';

/** Every domain error that can reach HTTP, told apart by `domain`. */
type AnsweredError =
  | HttpError
  | StorageError
  | TokenUnavailableError
  | UnknownAccountError
  | SyncError
  | TagError
  | IdentityError
  | FrontDoorError
  | SidebarError
  | ChannelError
  | AttributeError
  | TransferError
  | WebhookError
  | ImportError
  | OperatorError;

// Compile-time guard: every module of ErrorDomain has its error type in AnsweredError.
const everyDomainAnswered: Exclude<ErrorDomain, AnsweredError['domain']> extends never ? true : never = true;
void everyDomainAnswered;

/** The status of a domain error: its module's table; exhaustive over the modules (a new one fails to compile). */
function statusOf(err: AnsweredError): number {
  switch (err.domain) {
    case 'http':
      return err.status;
    case 'storage':
      return STORAGE_ERROR_STATUS[err.code];
    case 'tokens':
      return TOKEN_ERROR_STATUS[err.code];
    case 'syncs':
      return SYNC_ERROR_STATUS[err.code];
    case 'tags':
      return TAG_ERROR_STATUS[err.code];
    case 'identity':
      return IDENTITY_ERROR_STATUS[err.code];
    case 'front-door':
      return FRONT_DOOR_ERROR_STATUS[err.code];
    case 'sidebar':
      return SIDEBAR_ERROR_STATUS[err.code];
    case 'channels':
      return CHANNEL_ERROR_STATUS[err.code];
    case 'attributes':
      return ATTRIBUTE_ERROR_STATUS[err.code];
    case 'transfers':
      return TRANSFER_ERROR_STATUS[err.code];
    case 'webhooks':
      return WEBHOOK_ERROR_STATUS[err.code];
    case 'imports':
      return IMPORT_ERROR_STATUS[err.code];
    case 'operators':
      return OPERATOR_ERROR_STATUS[err.code];
    default:
      return unreachable(err);
  }
}

export interface ErrorAnswer {
  status: number;
  body: { error: { code: string; message: string; details?: unknown } };
  /** Seconds, for a 503 the caller should retry or a 429 that knows when its window ends. */
  retryAfter?: number;
  /** How the failure is logged: a refusal is the caller's (not logged), 503 is a warning, anything else a bug. */
  log: 'none' | 'warn' | 'error';
}

const UNAVAILABLE = 'temporarily unavailable, retry shortly';
const INTERNAL: ErrorAnswer = {
  status: 500,
  body: { error: { code: 'INTERNAL', message: 'internal error' } },
  log: 'error',
};

/**
 * What a failed request answers (CONVENTIONS: one place maps errors to HTTP): `{ error: { code, message } }`.
 * A 4xx or a 502 names what went wrong; a 503 says to retry; a 500 never carries internals (the log line has
 * them, tied to the request id). Driver errors meaning "busy" or "unreachable" are storage errors too.
 */
export function errorAnswer(err: unknown): ErrorAnswer {
  const domain = err instanceof DomainError ? (err as AnsweredError) : storageErrorOf(err);
  if (domain) {
    const status = statusOf(domain);
    if (status === 503)
      return { status, body: { error: { code: domain.code, message: UNAVAILABLE } }, retryAfter: 1, log: 'warn' };
    if (status >= 500 && status !== 502) return INTERNAL;
    return {
      status,
      body: {
        error: {
          code: domain.code,
          message: domain.message,
          ...(domain.details !== undefined ? { details: domain.details } : {}),
        },
      },
      ...(status === 429 ? retryAfterOf(domain.details) : {}),
      log: status >= 500 ? 'warn' : 'none',
    };
  }
  // koa / raw-body's own client errors (a body too large, an aborted upload) carry an http status.
  const e = err as { status?: unknown; expose?: boolean; message?: string } | null;
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return {
      status: e.status,
      body: {
        error: {
          code: e.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
          message: e.expose && e.message ? e.message : 'bad request',
        },
      },
      log: 'none',
    };
  }
  return INTERNAL;
}

/** A refusal that names its wait (`details.retryAfterSeconds`) also says it in `Retry-After` (RFC 9110 §10.2.3). */
function retryAfterOf(details: unknown): { retryAfter?: number } {
  const seconds = (details as { retryAfterSeconds?: unknown } | null | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? { retryAfter: Math.ceil(seconds) }
    : {};
}
