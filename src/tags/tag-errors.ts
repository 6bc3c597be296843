/** Typed failures of the tag services; src/http/api maps them to 404 / 409 / 422. */
export type TagErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION_FAILED';

export class TagError extends Error {
  constructor(
    readonly code: TagErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'TagError';
  }
}

export const tagNotFound = (what: string): TagError => new TagError('NOT_FOUND', `${what} not found`);
export const tagConflict = (message: string): TagError => new TagError('CONFLICT', message);
export const tagInvalid = (message: string, details?: unknown): TagError => new TagError('VALIDATION_FAILED', message, details);
