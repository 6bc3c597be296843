import type Router from '@koa/router';
import type { Services } from '../../services';
import { requireRole } from '../../auth/api-key.middleware';
import { newOperatorInput, operatorChangeInput, parseOperatorInput } from '../../operators/operator-input.schema';
import type { OperatorListJson } from '../../operators/operators-api.types';
import { actorOf, idParam } from './tags.routes';

/**
 * `GET/POST /api/v1/operators`, `PATCH /api/v1/operators/:id` (admin, DESIGN §7.1): people who sign in to the
 * console; `{ enabled: false }` ends their sessions at once.
 */
export function registerOperatorRoutes(router: Router, app: Services): void {
  const { accounts } = app.operators;

  router.get('/operators', requireRole('admin'), async (ctx) => {
    const body: OperatorListJson = { items: await accounts.list() };
    ctx.body = body;
  });

  router.post('/operators', requireRole('admin'), async (ctx) => {
    ctx.body = await accounts.add(parseOperatorInput(newOperatorInput, ctx.request.body), actorOf(ctx));
    ctx.status = 201;
  });

  router.patch('/operators/:id', requireRole('admin'), async (ctx) => {
    const id = idParam(ctx, 'operator');
    ctx.body = await accounts.change(id, parseOperatorInput(operatorChangeInput, ctx.request.body), actorOf(ctx));
  });
}
