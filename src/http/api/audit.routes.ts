import type Router from '@koa/router';
import type { AppContext } from '../../app-context';
import { requireRole } from '../../auth/api-key.middleware';
import type { AuditPageJson } from '../../audit/audit-api.types';
import { namesOfUserids } from '../../storage/staff/wecom-staff.repository';
import { pageAuditLog, type AuditLogFilter } from '../../storage/audit/audit-log.repository';
import { parseLimit, parseIdCursor } from './paging';

const WECOM_ACTOR = /^wecom:(.+)$/;

/**
 * `GET /api/v1/audit?actor=&action=&targetType=&targetId=&limit=&cursor=` (admin): newest first. A sales rep's
 * entries (`wecom:<userid>`) carry `actorName` from the staff directory (null until a name is known).
 */
export function registerAuditRoutes(router: Router, app: AppContext): void {
  router.get('/audit', requireRole('admin'), async (ctx) => {
    const limit = parseLimit(ctx.query.limit);
    const cursor = parseIdCursor(ctx.query.cursor);
    const filter: AuditLogFilter = {};
    for (const k of ['actor', 'action', 'targetType', 'targetId'] as const) {
      const v = ctx.query[k];
      if (typeof v === 'string' && v) filter[k] = v;
    }
    if (cursor) filter.beforeId = cursor;
    const rows = await pageAuditLog(app.ds, filter, limit + 1);
    const page = rows.slice(0, limit);
    const userids = page.flatMap((r) => WECOM_ACTOR.exec(r.actor)?.[1] ?? []);
    const names = await namesOfUserids(app.ds, userids);
    const actorName = (actor: string): string | null => {
      const userid = WECOM_ACTOR.exec(actor)?.[1];
      return userid === undefined ? null : (names.get(userid) ?? null);
    };
    const body: AuditPageJson = {
      items: page.map((r) => ({
        id: r.id,
        actor: r.actor,
        actorName: actorName(r.actor),
        role: r.role,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        details: r.details,
        createdAt: r.createdAt.toISOString(),
      })),
      nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
    };
    ctx.body = body;
  });
}
