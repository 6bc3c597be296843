import type Router from '@koa/router';
import type { AppContext } from '../../app-context';
import { requireRole } from '../../auth/api-key.middleware';
import type { OutboxStatus } from '../../storage/entities';
import type { OutboxChannel } from '../../storage/tags/outbox.types';
import { OutboxAdminService } from '../../tags/outbox/outbox-admin.service';
import { badRequest } from '../http-error';
import { parseIdCursor, parseLimit } from './paging';
import { actorOf, idParam } from './tags.routes';

const STATUSES: readonly OutboxStatus[] = ['pending', 'in_flight', 'done', 'dead'];
const CHANNELS: readonly OutboxChannel[] = ['oa', 'wecom', 'wecom-remark'];

/**
 * The push queue (DESIGN §8.3): `GET /api/v1/outbox?status=&channel=&tagId=&limit=&cursor=` newest first, each
 * row one WeChat call with its attempts and last errcode; `POST /api/v1/outbox/:id/retry` revives a dead row.
 */
export function registerOutboxRoutes(router: Router, app: AppContext): void {
  const outbox = new OutboxAdminService(app);

  router.get('/outbox', requireRole('viewer'), async (ctx) => {
    const { status, channel, tagId } = ctx.query;
    if (status !== undefined && status !== '' && !STATUSES.includes(status as OutboxStatus))
      throw badRequest(`status must be one of ${STATUSES.join(', ')}`);
    if (channel !== undefined && channel !== '' && !CHANNELS.includes(channel as OutboxChannel))
      throw badRequest(`channel must be one of ${CHANNELS.join(', ')}`);
    if (tagId !== undefined && tagId !== '' && (typeof tagId !== 'string' || !/^\d{1,19}$/.test(tagId)))
      throw badRequest('tagId must be a tag id');
    ctx.body = await outbox.list({
      ...(status ? { status: status as OutboxStatus } : {}),
      ...(channel ? { channel: channel as string } : {}),
      ...(tagId ? { tagId: tagId as string } : {}),
      cursor: parseIdCursor(ctx.query.cursor),
      limit: parseLimit(ctx.query.limit, 50, 500),
    });
  });

  router.post('/outbox/:id/retry', requireRole('operator'), async (ctx) => {
    ctx.body = await outbox.retry(idParam(ctx, 'outbox row'), actorOf(ctx));
  });
}
