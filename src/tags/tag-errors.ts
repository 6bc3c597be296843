import { DomainError, type ErrorStatusTable } from '../errors/domain-error';

/** Typed failures of the tag services and their status (DESIGN §8.3); VALIDATION_FAILED carries `details`. */
export const TAG_ERROR_STATUS = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  VALIDATION_FAILED: 422,
} as const satisfies ErrorStatusTable;

export type TagErrorCode = keyof typeof TAG_ERROR_STATUS;

export class TagError extends DomainError<TagErrorCode> {
  readonly domain = 'tags';
}

export const tagNotFound = (what: string): TagError => new TagError('NOT_FOUND', `${what} not found`);
export const tagConflict = (message: string): TagError => new TagError('CONFLICT', message);
export const tagInvalid = (message: string, details?: unknown): TagError =>
  new TagError('VALIDATION_FAILED', message, details);
