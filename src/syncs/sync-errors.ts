/** Typed refusals of a sync start; the API maps them to 404 / 422 / 409 / 404. */
export type SyncErrorCode = 'ACCOUNT_NOT_FOUND' | 'RESOURCE_NOT_SUPPORTED' | 'SYNC_RUNNING' | 'SYNC_NOT_FOUND';

export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}
