import type Router from '@koa/router';
import { requireRole } from '../../auth/api-key.middleware';
import { createChannelInput, parseChannelInput, updateChannelInput } from '../../channels/channel-input.schema';
import { channelJson } from '../../channels/channel.service';
import type { Services } from '../../services';
import { parseIdCursor, parseLimit } from './paging';
import { actorOf, idParam } from './tags.routes';

/**
 * Channel codes (DESIGN §10.2, §13): `GET/POST /channels` (newest first, `accountId=` narrows),
 * `GET/PATCH/DELETE /channels/:id`, `GET /channels/:id/stats?from=&to=` and `GET /channels/:id/customers`.
 * Creating, changing and deleting reach WeChat before the row changes.
 */
export function registerChannelRoutes(router: Router, app: Services): void {
  const { channels, channelStats } = app;

  router.get('/channels', requireRole('viewer'), async (ctx) => {
    const accountId = typeof ctx.query.accountId === 'string' && ctx.query.accountId ? ctx.query.accountId : undefined;
    const cursor = parseIdCursor(ctx.query.cursor);
    ctx.body = await channels.list({
      ...(accountId !== undefined ? { accountId } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
      limit: parseLimit(ctx.query.limit),
    });
  });

  router.post('/channels', requireRole('operator'), async (ctx) => {
    const input = parseChannelInput(createChannelInput, ctx.request.body);
    ctx.body = await channels.create(input, actorOf(ctx));
    ctx.status = 201;
  });

  router.get('/channels/:id', requireRole('viewer'), async (ctx) => {
    ctx.body = channelJson(await channels.get(idParam(ctx, 'channel')));
  });

  router.get('/channels/:id/stats', requireRole('viewer'), async (ctx) => {
    const c = await channels.get(idParam(ctx, 'channel'));
    const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
    const from = text(ctx.query.from);
    const to = text(ctx.query.to);
    ctx.body = await channelStats.stats(c.id, {
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
    });
  });

  router.get('/channels/:id/customers', requireRole('viewer'), async (ctx) => {
    const c = await channels.get(idParam(ctx, 'channel'));
    const cursor = typeof ctx.query.cursor === 'string' && ctx.query.cursor ? ctx.query.cursor : undefined;
    ctx.body = await channelStats.customers(c.id, parseLimit(ctx.query.limit), cursor);
  });

  router.get('/channels/:id/qrcode', requireRole('viewer'), async (ctx) => {
    const img = await channels.qrImage(idParam(ctx, 'channel'));
    ctx.type = img.type;
    ctx.set('content-disposition', `attachment; filename="${img.filename}"`);
    ctx.body = img.body;
  });

  router.patch('/channels/:id', requireRole('operator'), async (ctx) => {
    const id = idParam(ctx, 'channel');
    ctx.body = await channels.update(id, parseChannelInput(updateChannelInput, ctx.request.body), actorOf(ctx));
  });

  router.delete('/channels/:id', requireRole('operator'), async (ctx) => {
    await channels.remove(idParam(ctx, 'channel'), actorOf(ctx));
    ctx.status = 204;
  });
}
