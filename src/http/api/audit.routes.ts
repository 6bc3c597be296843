import type Router from '@koa/router';
import type { AppContext } from '../../app-context';
import { requireRole } from '../../auth/api-key.middleware';
import type { AuditPageJson } from '../../audit/audit-api.types';
import { namesOfUserids } from '../../storage/staff/wecom-staff.repository';
import { pageAuditLog, type AuditLogFilter } from '../../storage/audit/audit-log.repository';
import { operatorsByIds } from '../../storage/operators/operator.repository';
import { parseLimit, parseIdCursor } from './paging';

const WECOM_ACTOR = /^wecom:(.+)$/;
const OPERATOR_ACTOR = /^operator:(\d{1,19})$/;

/**
 * `GET /api/v1/audit?actor=&action=&targetType=&targetId=&limit=&cursor=` (admin): newest first. A sales rep's
 * entries (`wecom:<userid>`) carry `actorName` from the staff directory (null until a name is known); a
 * person's (`operator:<id>`) carry their name and, for a WeCom member, `actorUserid`.
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
    const people = await operatorsByIds(
      app.ds,
      page.flatMap((r) => OPERATOR_ACTOR.exec(r.actor)?.[1] ?? []),
    );
    const operatorOf = (actor: string) => {
      const id = OPERATOR_ACTOR.exec(actor)?.[1];
      return id === undefined ? undefined : people.get(id);
    };
    const actorName = (actor: string): string | null => {
      const person = operatorOf(actor);
      if (person) return person.name;
      const userid = WECOM_ACTOR.exec(actor)?.[1];
      return userid === undefined ? null : (names.get(userid) ?? null);
    };
    const body: AuditPageJson = {
      items: page.map((r) => ({
        id: r.id,
        actor: r.actor,
        actorName: actorName(r.actor),
        ...(operatorOf(r.actor)?.userid ? { actorUserid: operatorOf(r.actor)!.userid! } : {}),
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
