import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { HttpError } from '../http-error';

/**
 * Runs after every router: a path that no route knows is a JSON 404; a known path with another method is a 405
 * with an Allow header (koa-router's allowedMethods throws plain errors; this keeps the one error shape).
 */
export function notFound(routers: Router[]): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status !== 404 || ctx.body !== undefined) return;
    const allowed = new Set<string>();
    for (const r of routers) {
      const m = r.match(ctx.path, ctx.method);
      for (const layer of m.path) for (const method of layer.methods) allowed.add(method);
    }
    if (allowed.size > 0 && !allowed.has(ctx.method)) {
      ctx.set('Allow', [...allowed].join(', '));
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`);
    }
    throw new HttpError(404, 'NOT_FOUND', `no route for ${ctx.method} ${ctx.path}`);
  };
}
