import { DomainError, type ErrorStatusTable } from '../errors/domain-error';

/** Typed refusals of a sync start or read, and their status (DESIGN §8.3). */
export const SYNC_ERROR_STATUS = {
  ACCOUNT_NOT_FOUND: 404,
  RESOURCE_NOT_SUPPORTED: 422,
  SYNC_RUNNING: 409,
  SYNC_NOT_FOUND: 404,
} as const satisfies ErrorStatusTable;

export type SyncErrorCode = keyof typeof SYNC_ERROR_STATUS;

export class SyncError extends DomainError<SyncErrorCode> {
  readonly domain = 'syncs';
}
