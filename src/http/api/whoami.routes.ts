import type Router from '@koa/router';
import { principalOf } from '../../auth/api-key.middleware';
import type { WhoAmIJson } from '../../auth/auth-api.types';

/** `GET /api/v1/whoami` → `{ kind, id, name, role, corpId?, userid? }` of the caller (DESIGN §7.1). */
export function registerWhoamiRoutes(router: Router): void {
  router.get('/whoami', (ctx) => {
    const p = principalOf(ctx.state);
    const body: WhoAmIJson = {
      kind: p.kind,
      id: p.id,
      name: p.name,
      role: p.role,
      ...(p.corpId ? { corpId: p.corpId } : {}),
      ...(p.userid ? { userid: p.userid } : {}),
    };
    ctx.body = body;
  });
}
