import type { Middleware } from 'koa';
import type { OriginAllowList } from './origin-allow-list';

/**
 * CORS for the routes H5 pages call with fetch (JS-SDK config, /track): only origins on
 * `server.allowedOrigins` are answered, with credentials so the http-only session cookie rides along. Other
 * origins get no CORS headers (the browser blocks the read); preflights are answered here with 204.
 * https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function allowListCors(allow: OriginAllowList, methods: string): Middleware {
  return async (ctx, next) => {
    const origin = ctx.get('origin');
    ctx.vary('Origin');
    const allowed = allow.allowsOrigin(origin || undefined);
    if (allowed) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Allow-Credentials', 'true');
    }
    if (ctx.method === 'OPTIONS') {
      if (allowed) {
        ctx.set('Access-Control-Allow-Methods', methods);
        ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
        ctx.set('Access-Control-Max-Age', '600');
      }
      ctx.status = 204;
      return;
    }
    await next();
  };
}
