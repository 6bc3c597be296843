import type Router from '@koa/router';
import { requireRole } from '../../auth/api-key.middleware';
import type { Services } from '../../services';
import { createWebhookInput, parseWebhookInput, updateWebhookInput } from '../../webhooks/webhook-input.schema';
import { badRequest } from '../http-error';
import { parseIdCursor, parseLimit } from './paging';
import { actorOf, idParam } from './tags.routes';

const DELIVERY_STATUSES = { pending: 'pending', sending: 'sending', delivered: 'delivered', dead: 'dead' } as const;

/**
 * Outbound webhooks (DESIGN §11, §13): subscriptions are admin's (they carry a signing secret and send customer
 * data out), their deliveries are read by operators, who may also send one again.
 */
export function registerWebhookRoutes(router: Router, app: Services): void {
  const { webhooks } = app;

  router.get('/webhooks', requireRole('operator'), async (ctx) => {
    const cursor = parseIdCursor(ctx.query.cursor);
    ctx.body = await webhooks.list({ ...(cursor !== undefined ? { cursor } : {}), limit: parseLimit(ctx.query.limit) });
  });

  router.post('/webhooks', requireRole('admin'), async (ctx) => {
    ctx.body = await webhooks.create(parseWebhookInput(createWebhookInput, ctx.request.body), actorOf(ctx));
    ctx.status = 201;
  });

  router.get('/webhooks/:id', requireRole('operator'), async (ctx) => {
    ctx.body = await webhooks.detail(idParam(ctx, 'webhook'));
  });

  router.patch('/webhooks/:id', requireRole('admin'), async (ctx) => {
    const id = idParam(ctx, 'webhook');
    ctx.body = await webhooks.update(id, parseWebhookInput(updateWebhookInput, ctx.request.body), actorOf(ctx));
  });

  router.delete('/webhooks/:id', requireRole('admin'), async (ctx) => {
    await webhooks.remove(idParam(ctx, 'webhook'), actorOf(ctx));
    ctx.status = 204;
  });

  router.get('/webhooks/:id/deliveries', requireRole('operator'), async (ctx) => {
    const cursor = parseIdCursor(ctx.query.cursor);
    const s = ctx.query.status;
    let status: (typeof DELIVERY_STATUSES)[keyof typeof DELIVERY_STATUSES] | undefined;
    if (s !== undefined && s !== '') {
      if (typeof s !== 'string' || !(s in DELIVERY_STATUSES))
        throw badRequest(`status must be one of ${Object.keys(DELIVERY_STATUSES).join(', ')}`);
      status = DELIVERY_STATUSES[s as keyof typeof DELIVERY_STATUSES];
    }
    ctx.body = await webhooks.deliveries(idParam(ctx, 'webhook'), {
      ...(cursor !== undefined ? { cursor } : {}),
      ...(status ? { status } : {}),
      limit: parseLimit(ctx.query.limit),
    });
  });

  router.get('/webhooks/:id/deliveries/:deliveryId', requireRole('operator'), async (ctx) => {
    ctx.body = await webhooks.delivery(idParam(ctx, 'webhook'), idParam(ctx, 'delivery', 'deliveryId'));
  });

  router.post('/webhooks/:id/deliveries/:deliveryId/redeliver', requireRole('operator'), async (ctx) => {
    const id = idParam(ctx, 'webhook');
    ctx.body = await webhooks.redeliver(id, idParam(ctx, 'delivery', 'deliveryId'), actorOf(ctx));
    ctx.status = 202;
  });
}
