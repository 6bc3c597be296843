import type { Middleware } from 'koa';
import type { Logger } from '../../logger';
import { errorAnswer } from './error-answer';

/**
 * The single place errors become HTTP (CONVENTIONS): `{ error: { code, message } }` as error-answer.ts decides.
 * Services and routers throw; they never build error answers themselves.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const answer = errorAnswer(err);
      if (answer.log === 'warn')
        logger.warn({ err, requestId: ctx.state.requestId, path: ctx.path }, 'request could not be served now');
      if (answer.log === 'error')
        logger.error({ err, requestId: ctx.state.requestId, path: ctx.path }, 'request failed');
      ctx.status = answer.status;
      if (answer.retryAfter !== undefined) ctx.set('Retry-After', String(answer.retryAfter));
      ctx.body = answer.body;
    }
  };
}
