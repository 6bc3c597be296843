import { DomainError } from '../errors/domain-error';

/**
 * A refusal decided at the HTTP edge itself (a malformed body, a missing route, a bad query parameter), where the
 * status is part of the decision. Services throw their own module's DomainError instead; the error middleware
 * writes both as `{ error: { code, message } }`.
 */
export class HttpError extends DomainError<string> {
  readonly domain = 'http';

  constructor(
    readonly status: number,
    code: string,
    message: string,
    details?: unknown,
  ) {
    super(code, message, details);
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'BAD_REQUEST', message, details);
export const validationFailed = (message: string, details?: unknown) =>
  new HttpError(422, 'VALIDATION_FAILED', message, details);
export const notFound = (what: string) => new HttpError(404, 'NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => new HttpError(409, 'CONFLICT', message);
export const unauthorized = (message = 'missing or invalid credentials') => new HttpError(401, 'UNAUTHORIZED', message);
export const forbidden = (message = 'not allowed for this role') => new HttpError(403, 'FORBIDDEN', message);
