import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import type { Services } from '../../services';
import { principalOf, requireRole } from '../../auth/api-key.middleware';
import { MAX_INLINE_IDS } from '../../tags/assignments/assignment.service';
import { findJob, jobView, queueJob } from '../../storage/tags/bulk-job.repository';
import { groupInput, createTagInput, parseInput, updateTagInput } from '../../tags/catalog/tag-input.schema';
import { TagGroupService } from '../../tags/catalog/tag-group.service';
import { outboxSignal } from '../../tags/outbox/outbox-signal';
import type { BulkJobQueuedJson } from '../../tags/tags-api.types';
import type { Actor } from '../../tags/tags-deps';
import { notFound, validationFailed } from '../http-error';
import { parseCustomerFilter } from './customers.routes';
import { parseIdCursor, parseLimit } from './paging';

/** Filters matching at most this many customers are (un)assigned inline; larger ones answer 202 `{ jobId }`. */
export const INLINE_FILTER_MAX = 2_000;

export function actorOf(ctx: RouterContext): Actor {
  const p = principalOf(ctx.state);
  return { name: p.actor, role: p.role, ...(p.kind === 'operator' ? { displayName: p.name } : {}) };
}

/** A numeric id path parameter; anything else cannot name a row, so it is a 404. */
export function idParam(ctx: RouterContext, what: string, name = 'id'): string {
  const v = ctx.params[name];
  if (typeof v !== 'string' || !/^\d{1,19}$/.test(v)) throw notFound(what);
  return v;
}

/**
 * Catalog and bulk assignment (DESIGN §8.3): `GET/POST /tags`, `GET/PATCH/DELETE /tags/:id` (GET adds
 * pushed/pending/failed/drifted counts per binding), `POST /tags/:id/assign|unassign` with `{ customerIds }`
 * or `{ filter }`, tag groups under `/tag-groups`, and bulk job progress at `GET /bulk-jobs/:id`.
 */
export function registerTagRoutes(router: Router, app: Services): void {
  const { catalog, assignments, bulk } = app.tags;
  const groups = new TagGroupService(app);

  router.get('/tags', requireRole('viewer'), async (ctx) => {
    const groupId = typeof ctx.query.groupId === 'string' && ctx.query.groupId ? ctx.query.groupId : undefined;
    const q = typeof ctx.query.q === 'string' && ctx.query.q ? ctx.query.q : undefined;
    ctx.body = await catalog.list({
      groupId,
      q,
      cursor: parseIdCursor(ctx.query.cursor),
      limit: parseLimit(ctx.query.limit, 50, 500),
    });
  });

  router.post('/tags', requireRole('operator'), async (ctx) => {
    ctx.status = 201;
    ctx.body = await catalog.create(parseInput(createTagInput, ctx.request.body), actorOf(ctx));
  });

  router.get('/tags/:id', requireRole('viewer'), async (ctx) => {
    ctx.body = await catalog.detail(idParam(ctx, 'tag'));
  });

  router.patch('/tags/:id', requireRole('operator'), async (ctx) => {
    ctx.body = await catalog.update(idParam(ctx, 'tag'), parseInput(updateTagInput, ctx.request.body), actorOf(ctx));
  });

  router.delete('/tags/:id', requireRole('operator'), async (ctx) => {
    ctx.body = await catalog.remove(idParam(ctx, 'tag'), actorOf(ctx));
  });

  for (const op of ['assign', 'unassign'] as const) {
    router.post(`/tags/:id/${op}`, requireRole('operator'), async (ctx) => {
      const tagId = idParam(ctx, 'tag');
      const actor = actorOf(ctx);
      const body = (ctx.request.body ?? {}) as Record<string, unknown>;
      const hasIds = body.customerIds !== undefined;
      if (
        hasIds === (body.filter !== undefined) ||
        Object.keys(body).some((k) => k !== 'customerIds' && k !== 'filter')
      ) {
        throw validationFailed(
          'give exactly one of customerIds (an array of customer ids) or filter (the customers list filter: q, tag, channel)',
        );
      }
      if (hasIds) {
        const ids = body.customerIds;
        if (
          !Array.isArray(ids) ||
          ids.length === 0 ||
          ids.length > MAX_INLINE_IDS ||
          ids.some((i) => typeof i !== 'string' || i.length === 0 || i.length > 64)
        ) {
          throw validationFailed(
            `customerIds must be 1 to ${MAX_INLINE_IDS} customer id strings; use filter for larger sets`,
          );
        }
        ctx.body = await (op === 'assign'
          ? assignments.assign(tagId, ids as string[], actor)
          : assignments.unassign(tagId, ids as string[], actor));
        return;
      }
      if (typeof body.filter !== 'object' || body.filter === null || Array.isArray(body.filter))
        throw validationFailed('filter must be an object with q, tag and/or channel');
      const filter = parseCustomerFilter(body.filter as Record<string, unknown>);
      await catalog.get(tagId);
      const total = await bulk.count({ filter });
      if (total <= INLINE_FILTER_MAX) {
        ctx.body = await bulk.run(op, tagId, { filter }, { source: 'manual', actor });
        return;
      }
      const jobId = await queueJob(app.ds, `tags.${op}`, { tagId, filter }, actor.name, new Date(app.now()));
      outboxSignal(app.ds).notify();
      const queued: BulkJobQueuedJson = { jobId, total };
      ctx.status = 202;
      ctx.body = queued;
    });
  }

  router.get('/bulk-jobs/:id', requireRole('viewer'), async (ctx) => {
    const job = await findJob(app.ds, idParam(ctx, 'bulk job'));
    if (!job) throw notFound('bulk job');
    ctx.body = jobView(job);
  });

  router.get('/tag-groups', requireRole('viewer'), async (ctx) => {
    ctx.body = { items: await groups.list() };
  });

  router.post('/tag-groups', requireRole('operator'), async (ctx) => {
    ctx.status = 201;
    ctx.body = await groups.create(parseInput(groupInput, ctx.request.body).name, actorOf(ctx));
  });

  router.patch('/tag-groups/:id', requireRole('operator'), async (ctx) => {
    ctx.body = await groups.rename(
      idParam(ctx, 'tag group'),
      parseInput(groupInput, ctx.request.body).name,
      actorOf(ctx),
    );
  });

  router.delete('/tag-groups/:id', requireRole('operator'), async (ctx) => {
    await groups.remove(idParam(ctx, 'tag group'), actorOf(ctx));
    ctx.status = 204;
  });
}
