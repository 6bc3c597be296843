import type Router from '@koa/router';
import { principalOf } from '../../auth/api-key.middleware';

/** `GET /api/v1/whoami` → `{ name, role }` of the calling key. */
export function registerWhoamiRoutes(router: Router): void {
  router.get('/whoami', (ctx) => {
    const p = principalOf(ctx.state);
    ctx.body = { name: p.name, role: p.role };
  });
}
