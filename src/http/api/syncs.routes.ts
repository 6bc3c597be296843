import type Router from '@koa/router';
import { z } from 'zod';
import { accountName } from '../../../config';
import type { Services } from '../../services';
import { principalOf, requireRole } from '../../auth/api-key.middleware';
import { AuditLogWriter } from '../../audit/audit-log.writer';
import { syncTasks } from '../../syncs/sync-runtime';
import type { SyncProgress, SyncRunJson, SyncRunPage, SyncSource } from '../../syncs/syncs-api.types';
import { SYNC_RESOURCES } from '../../syncs/sync-types';
import { badRequest, notFound, validationFailed } from '../http-error';
import { parseIdCursor, parseLimit } from './paging';

const startBody = z
  .object({ accountId: z.string().trim().min(1).max(64), resource: z.string().trim().min(1).max(32) })
  .strict();

/**
 * `POST /api/v1/syncs {accountId, resource}` (operator) → 202 with the run, which goes on in the background;
 * `GET /api/v1/syncs/:id` → its progress; `GET /api/v1/syncs?accountId=&resource=` → runs, newest first;
 * `GET /api/v1/syncs/sources` (operator) → `{ items: [{ accountId, accountName, kind, appId | corpId, resources }] }`, what a
 * start may name.
 */
export function registerSyncRoutes(router: Router, app: Services): void {
  const audit = new AuditLogWriter(app.ds);
  /** A run with its account's configured name beside the id. */
  const named = (run: SyncProgress): SyncRunJson => ({ ...run, accountName: accountName(app.config, run.accountId) });

  router.post('/syncs', requireRole('operator'), async (ctx) => {
    const parsed = startBody.safeParse(ctx.request.body ?? {});
    if (!parsed.success)
      throw validationFailed(
        `body must be { accountId, resource } with resource one of ${SYNC_RESOURCES.join(', ')}`,
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    const p = principalOf(ctx.state);
    const { run } = await app.syncs.start(parsed.data.accountId, parsed.data.resource, {
      triggeredBy: `api:${p.actor}`,
    });
    await audit.write({
      actor: p.actor,
      role: p.role,
      action: 'sync.start',
      targetType: 'sync_run',
      targetId: run.id,
      details: { accountId: run.accountId, resource: run.resource },
    });
    ctx.status = 202;
    ctx.body = named(run);
  });

  // Before `/syncs/:id`, which would answer 404 for the word. The resources come from the same factory a start
  // uses, so the list cannot offer a pair that a start refuses; only ids and kinds leave, never account secrets.
  router.get('/syncs/sources', requireRole('operator'), (ctx) => {
    const tasks = syncTasks(app, app);
    const body: { items: SyncSource[] } = {
      items: app.config.accounts
        .map((a): SyncSource => ({
          accountId: a.id,
          accountName: a.name ?? null,
          kind: a.kind,
          // The appid / corpid a tag binding names (an account's id may differ from it).
          ...('appId' in a ? { appId: a.appId } : {}),
          ...('corpId' in a ? { corpId: a.corpId } : {}),
          resources: SYNC_RESOURCES.filter((r) => tasks(a, r) !== undefined),
        }))
        .filter((s) => s.resources.length > 0),
    };
    ctx.body = body;
  });

  router.get('/syncs/:id', requireRole('viewer'), async (ctx) => {
    if (!/^\d{1,20}$/.test(ctx.params.id ?? '')) throw notFound('sync');
    ctx.body = named(await app.syncs.get(ctx.params.id!));
  });

  router.get('/syncs', requireRole('viewer'), async (ctx) => {
    const limit = parseLimit(ctx.query.limit);
    const { accountId, resource } = ctx.query;
    if (
      (accountId !== undefined && typeof accountId !== 'string') ||
      (resource !== undefined && typeof resource !== 'string')
    )
      throw badRequest('accountId and resource are single values');
    const items = await app.syncs.list({
      ...(accountId ? { account: accountId } : {}),
      ...(resource ? { resource } : {}),
      limit: limit + 1,
      ...(parseIdCursor(ctx.query.cursor) ? { before: parseIdCursor(ctx.query.cursor)! } : {}),
    });
    const page = items.slice(0, limit);
    const body: SyncRunPage = {
      items: page.map(named),
      nextCursor: items.length > limit ? page[page.length - 1]!.id : null,
    };
    ctx.body = body;
  });
}
