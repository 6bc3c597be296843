import { DomainError, type ErrorStatusTable } from '../errors/domain-error';

/** Typed failures of merges and their undo (DESIGN §4): an unknown merge is 404, an undo that cannot apply 409. */
export const IDENTITY_ERROR_STATUS = {
  MERGE_NOT_FOUND: 404,
  ALREADY_UNDONE: 409,
  LATER_MERGE_DEPENDS: 409,
  MERGE_STATE_CHANGED: 409,
} as const satisfies ErrorStatusTable;

export type IdentityErrorCode = keyof typeof IDENTITY_ERROR_STATUS;

export class IdentityError extends DomainError<IdentityErrorCode> {
  readonly domain = 'identity';
}
