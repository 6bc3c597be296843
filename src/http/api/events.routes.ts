import type Router from '@koa/router';
import type { Services } from '../../services';
import { principalOf, requireRole } from '../../auth/api-key.middleware';

/**
 * `POST /api/v1/events` (operator, or a key of role `ingest`): `{ source?, items: [...] }`, at most 500 events or
 * orders → 200 `{ items: [{ clientId, status: "created" | "duplicate" | "invalid", customerId?, error? }] }`
 * (DESIGN §11, §13).
 */
export function registerEventRoutes(router: Router, app: Services): void {
  router.post('/events', requireRole('ingest'), async (ctx) => {
    ctx.body = await app.eventsIngest.ingest(ctx.request.body, principalOf(ctx.state).name);
  });
}
