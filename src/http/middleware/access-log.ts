import type { Middleware } from 'koa';
import type { Logger } from '../../logger';

const QUIET = new Set(['/healthz', '/readyz', '/metrics']);
const CALLBACK_PREFIX = '/wechat/';

/**
 * One line per request. The query string is left out: callback queries carry signatures, H5 ones codes.
 * Acked WeChat callbacks (2xx/3xx under /wechat/) log at `debug`: at callback rates an `info` line each costs
 * more than the rest of the middleware, and the inbox row already records them; rejections and errors stay
 * at `info` (the error handler and the intake log failures at `error`).
 */
export function accessLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const start = Date.now();
    try {
      await next();
    } finally {
      const path = ctx.path;
      const level = ctx.status < 400 && path.startsWith(CALLBACK_PREFIX) ? 'debug' : 'info';
      if (!QUIET.has(path) && logger.isLevelEnabled(level)) {
        logger[level](
          { requestId: ctx.state.requestId, method: ctx.method, path, status: ctx.status, ms: Date.now() - start },
          'request',
        );
      }
    }
  };
}
