import type { Middleware } from 'koa';
import type { Logger } from '../../logger';
import { StorageError } from '../../storage/errors';
import { TokenUnavailableError } from '../../tokens/token-errors';
import { HttpError } from '../http-error';

/** A busy database or a WeChat token still being refreshed is temporary: 503 with Retry-After, so callers retry. */
function temporarilyUnavailable(err: unknown): string | undefined {
  if (err instanceof StorageError && (err.code === 'DB_BUSY' || err.code === 'DB_UNAVAILABLE')) return err.code;
  if (err instanceof TokenUnavailableError) return err.code;
  return undefined;
}

/**
 * The single place errors become HTTP (CONVENTIONS): `{ error: { code, message } }`. 5xx responses never carry
 * internals; the log line has them, tied to the request id.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof HttpError) {
        ctx.status = err.status;
        ctx.body = { error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
        return;
      }
      const e = err as { status?: number; expose?: boolean; message?: string; type?: string };
      if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
        ctx.status = e.status;
        ctx.body = { error: { code: e.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', message: e.expose && e.message ? e.message : 'bad request' } };
        return;
      }
      const unavailable = temporarilyUnavailable(err);
      if (unavailable) {
        logger.warn({ err, requestId: ctx.state.requestId, path: ctx.path }, 'request could not be served now');
        ctx.status = 503;
        ctx.set('Retry-After', '1');
        ctx.body = { error: { code: unavailable, message: 'temporarily unavailable, retry shortly' } };
        return;
      }
      logger.error({ err, requestId: ctx.state.requestId, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = { error: { code: 'INTERNAL', message: 'internal error' } };
    }
  };
}
