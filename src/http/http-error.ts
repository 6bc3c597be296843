/**
 * The one error type route handlers throw. The error middleware writes `{ error: { code, message } }` with this
 * status; anything else becomes a 500 with a generic message (internals hidden).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'BAD_REQUEST', message, details);
export const validationFailed = (message: string, details?: unknown) => new HttpError(422, 'VALIDATION_FAILED', message, details);
export const notFound = (what: string) => new HttpError(404, 'NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => new HttpError(409, 'CONFLICT', message);
export const unauthorized = (message = 'missing or invalid credentials') => new HttpError(401, 'UNAUTHORIZED', message);
export const forbidden = (message = 'not allowed for this role') => new HttpError(403, 'FORBIDDEN', message);
