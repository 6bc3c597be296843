import { randomUUID } from 'crypto';
import type { Middleware } from 'koa';

/** Every request gets an id (a sane incoming X-Request-Id is kept) echoed in the response and the logs. */
export function requestId(): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const id = /^[\w.:-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await next();
  };
}
