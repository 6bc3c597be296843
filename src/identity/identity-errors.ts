/** Typed failures of merges and their undo; the API maps NOT_FOUND → 404 and the rest → 409. */
export type IdentityErrorCode = 'MERGE_NOT_FOUND' | 'ALREADY_UNDONE' | 'LATER_MERGE_DEPENDS' | 'MERGE_STATE_CHANGED';

export class IdentityError extends Error {
  constructor(
    readonly code: IdentityErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IdentityError';
  }
}
