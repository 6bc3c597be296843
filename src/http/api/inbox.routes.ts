import type Router from '@koa/router';
import type { AppContext } from '../../app-context';
import { principalOf, requireRole } from '../../auth/api-key.middleware';
import { AuditLogWriter } from '../../audit/audit-log.writer';
import type { InboxPageJson, InboxRowJson } from '../../inbox/inbox-api.types';
import { InboxRepository, type InboxRecord } from '../../storage/inbox/inbox.repository';
import { inboxSignal } from '../../inbox/inbox-signal';
import type { InboxStatus } from '../../storage/entities';
import { badRequest, conflict, notFound } from '../http-error';
import { parseIdCursor, parseLimit } from './paging';

const STATUSES: readonly InboxStatus[] = ['pending', 'processing', 'done', 'failed'];

function view(r: InboxRecord): InboxRowJson {
  return {
    id: r.id,
    account: r.account,
    channel: r.channel,
    kind: r.kind,
    dedupeKey: r.dedupeKey,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt.toISOString(),
    error: r.error,
    receivedAt: r.receivedAt.toISOString(),
    processedAt: r.processedAt?.toISOString() ?? null,
    events: r.events,
  };
}

/**
 * `GET /api/v1/inbox?status=&limit=&cursor=` (newest first) and `POST /api/v1/inbox/:id/retry` (DESIGN §6):
 * operators find callbacks that failed processing and send them round again. Admin or operator.
 */
export function registerInboxRoutes(router: Router, app: AppContext): void {
  const repo = new InboxRepository(app.ds);
  const audit = new AuditLogWriter(app.ds);

  router.get('/inbox', requireRole('operator'), async (ctx) => {
    const status = ctx.query.status;
    if (status !== undefined && (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status))) {
      throw badRequest(`status must be one of ${STATUSES.join(', ')}`);
    }
    const limit = parseLimit(ctx.query.limit, 50, 200);
    const rows = await repo.list({
      status: status as InboxStatus | undefined,
      limit: limit + 1,
      beforeId: parseIdCursor(ctx.query.cursor),
    });
    const page = rows.slice(0, limit);
    const body: InboxPageJson = {
      items: page.map(view),
      nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
    };
    ctx.body = body;
  });

  router.post('/inbox/:id/retry', requireRole('operator'), async (ctx) => {
    const id = parseIdCursor(ctx.params.id);
    const row = id ? await repo.findById(app.ds, id) : undefined;
    if (!id || !row) throw notFound('inbox row');
    if (!(await repo.requeue(id, new Date(app.now()))))
      throw conflict(`inbox row ${id} is ${row.status}; only failed or pending rows can be retried`);
    const p = principalOf(ctx.state);
    await audit.write({
      actor: p.actor,
      role: p.role,
      action: 'inbox.retry',
      targetType: 'inbox',
      targetId: id,
      details: { previousStatus: row.status, error: row.error },
    });
    inboxSignal(app.ds).notify();
    ctx.body = view((await repo.findById(app.ds, id))!);
  });
}
