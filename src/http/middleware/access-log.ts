import type { Middleware } from 'koa';
import type { Logger } from '../../logger';

const QUIET = new Set(['/healthz', '/readyz', '/metrics']);

/** One line per request. The query string is left out: callback queries carry signatures, H5 ones codes. */
export function accessLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const start = Date.now();
    try {
      await next();
    } finally {
      if (!QUIET.has(ctx.path) && logger.isLevelEnabled('info')) {
        logger.info({ requestId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Date.now() - start }, 'request');
      }
    }
  };
}
