import type { Middleware } from 'koa';
import type { Logger } from '../../logger';
import { HttpError } from '../http-error';

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
      logger.error({ err, requestId: ctx.state.requestId, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = { error: { code: 'INTERNAL', message: 'internal error' } };
    }
  };
}
