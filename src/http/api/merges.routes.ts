import type Router from '@koa/router';
import type { AppContext } from '../../app-context';
import { principalOf, requireRole } from '../../auth/api-key.middleware';
import { AuditLogWriter } from '../../audit/audit-log.writer';
import { listMerges, type MergeRecord } from '../../storage/identity/merge-log.repository';
import { undoMerge } from '../../identity/merge.service';
import { customerNames, type ShownName } from '../../customers/customer-names';
import { evidenceString } from '../../identity/evidence-fields';
import type { MergeJson, MergePageJson, MergeUndoJson } from '../../identity/identity-api.types';
import type { Db } from '../../storage/sql';
import { notFound } from '../http-error';
import { parseIdCursor, parseLimit } from './paging';

/** Both customers' best-known names; the merged one's from the rows the merge moved away from it. */
async function namesOf(db: Db, merges: readonly MergeRecord[]): Promise<Map<string, ShownName>> {
  return customerNames(db, [
    ...merges.map((m) => ({ id: m.survivorId })),
    ...merges.map((m) => ({
      id: m.mergedId,
      identityIds: m.moved.identities,
      followIds: m.moved.wecomFollows,
      subscriptionIds: m.moved.oaSubscriptions,
    })),
  ]);
}

function view(m: MergeRecord, names: Map<string, ShownName>): MergeJson {
  const counts: Record<string, number> = {};
  for (const [k, ids] of Object.entries(m.moved)) counts[k] = ids?.length ?? 0;
  return {
    id: m.id,
    survivorId: m.survivorId,
    survivorName: names.get(m.survivorId)?.name ?? null,
    mergedId: m.mergedId,
    mergedName: names.get(m.mergedId)?.name ?? null,
    reason: m.reason,
    evidence: {
      source: evidenceString(m.evidence, 'source'),
      identities: Array.isArray(m.evidence?.identities) ? (m.evidence.identities as unknown[]) : [],
      inboxId: evidenceString(m.evidence, 'inboxId'),
    },
    moved: counts,
    undoneAt: m.undoneAt?.toISOString() ?? null,
    undoneBy: m.undoneBy,
    createdAt: m.createdAt.toISOString(),
  };
}

/** `GET /api/v1/merges?customerId=&limit=&cursor=` and `POST /api/v1/merges/:id/undo` (DESIGN §4, §8.3). */
export function registerMergeRoutes(router: Router, app: AppContext): void {
  const audit = new AuditLogWriter(app.ds);

  router.get('/merges', requireRole('viewer'), async (ctx) => {
    const limit = parseLimit(ctx.query.limit);
    const customerId =
      typeof ctx.query.customerId === 'string' && ctx.query.customerId ? ctx.query.customerId : undefined;
    const rows = await listMerges(app.ds, { limit: limit + 1, beforeId: parseIdCursor(ctx.query.cursor), customerId });
    const page = rows.slice(0, limit);
    const names = await namesOf(app.ds, page);
    const body: MergePageJson = {
      items: page.map((m) => view(m, names)),
      nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
    };
    ctx.body = body;
  });

  router.post('/merges/:id/undo', requireRole('operator'), async (ctx) => {
    const id = /^\d{1,20}$/.test(ctx.params.id ?? '') ? ctx.params.id! : undefined;
    if (!id) throw notFound('merge');
    const p = principalOf(ctx.state);
    const { merge, restored } = await undoMerge(app.ds, id, p.actor, app.now);
    await audit.write({
      actor: p.actor,
      role: p.role,
      action: 'merge.undo',
      targetType: 'merge',
      targetId: id,
      details: { survivorId: merge.survivorId, mergedId: merge.mergedId, restored },
    });
    const body: MergeUndoJson = { ...view(merge, await namesOf(app.ds, [merge])), restored };
    ctx.body = body;
  });
}
