/** Typed storage failures; the HTTP error middleware maps them (DB_UNAVAILABLE/DB_BUSY → 503). */
export type StorageErrorCode = 'INVALID_DATABASE_URL' | 'DB_BUSY' | 'DB_UNAVAILABLE' | 'MIGRATION_FAILED';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}
