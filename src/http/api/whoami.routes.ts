import type Router from '@koa/router';
import { principalOf } from '../../auth/api-key.middleware';
import type { WhoAmIJson } from '../../auth/auth-api.types';

/** `GET /api/v1/whoami` → `{ name, role }` of the calling key. */
export function registerWhoamiRoutes(router: Router): void {
  router.get('/whoami', (ctx) => {
    const p = principalOf(ctx.state);
    const body: WhoAmIJson = { name: p.name, role: p.role };
    ctx.body = body;
  });
}
