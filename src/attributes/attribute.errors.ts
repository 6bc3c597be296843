import { DomainError, type ErrorStatusTable } from '../errors/domain-error';

/**
 * Typed failures of custom fields and notes (DESIGN §10.4, §13). A value that does not fit its definition is a 422
 * naming the field; a field the caller may not edit is a 403 naming it; deleting a definition that still has
 * values without `?force=true` is a 409 saying how many.
 */
export const ATTRIBUTE_ERROR_STATUS = {
  NOT_FOUND: 404,
  CUSTOMER_NOT_FOUND: 404,
  VALIDATION_FAILED: 422,
  KEY_TAKEN: 409,
  HAS_VALUES: 409,
  NOT_EDITABLE: 403,
  FOLLOW_NOT_FOUND: 404,
} as const satisfies ErrorStatusTable;

export type AttributeErrorCode = keyof typeof ATTRIBUTE_ERROR_STATUS;

export class AttributeError extends DomainError<AttributeErrorCode> {
  readonly domain = 'attributes';
}

export const attributeNotFound = (key: string): AttributeError =>
  new AttributeError('NOT_FOUND', `attribute ${JSON.stringify(key)} is not defined`);
export const customerNotFound = (): AttributeError => new AttributeError('CUSTOMER_NOT_FOUND', 'customer not found');

/** One bad field of a request, by its name (the attribute key, or the definition field). */
export interface FieldProblem {
  field: string;
  message: string;
}

export function attributeInvalid(problems: FieldProblem[]): AttributeError {
  return new AttributeError('VALIDATION_FAILED', problems.map((p) => `${p.field}: ${p.message}`).join('; '), {
    problems,
  });
}
