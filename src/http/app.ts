import Koa from 'koa';
import type { Services } from '../services';
import { requestId } from './middleware/request-id';
import { accessLog } from './middleware/access-log';
import { errorHandler } from './middleware/error-handler';
import { notFound } from './middleware/not-found';
import { buildRouters } from './routes';

/**
 * The koa app factory (CONVENTIONS: the app is built by a factory; it never listens). Middleware order matters:
 * request id first (everything logs it), metrics around the error handler (they see the final status), the
 * 404/405 fallback inside the error handler, routers last. Body parsing is per router: callback routes need raw
 * bytes, API routes parse JSON with a limit.
 */
export function createApp(app: Services): Koa {
  const koa = new Koa({ proxy: true });
  const routers = buildRouters(app);
  koa.use(requestId());
  koa.use(app.metrics.middleware());
  koa.use(accessLog(app.logger));
  koa.use(errorHandler(app.logger));
  koa.use(notFound(routers));
  for (const r of routers) koa.use(r.routes());
  // koa logs unhandled errors to stderr by default; the error middleware has handled them already.
  koa.silent = true;
  return koa;
}
