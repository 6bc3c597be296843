import { randomUUID } from 'crypto';
import type { Middleware } from 'koa';

const SANE_ID = /^[\w.:-]{1,64}$/;

/** Every request gets an id (a sane incoming X-Request-Id is kept) echoed in the response and the logs. */
export function requestId(): Middleware {
  return async (ctx, next) => {
    // The raw header, not ctx.get(): koa's getter normalises the name and handles referrer on every call.
    const incoming = ctx.req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await next();
  };
}
