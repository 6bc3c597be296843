import type Router from '@koa/router';
import type { AppContext } from '../../app-context';
import { requireRole } from '../../auth/api-key.middleware';
import { customerNames } from '../../customers/customer-names';
import { evidenceString } from '../../identity/evidence-fields';
import type { ConflictPageJson } from '../../identity/identity-api.types';
import { listConflicts } from '../../storage/identity/identity-conflict.repository';
import { badRequest } from '../http-error';
import { parseIdCursor, parseLimit } from './paging';

/**
 * `GET /api/v1/conflicts?resolved=&customerId=&limit=&cursor=` (DESIGN §4): links refused because they would
 * give a customer a second value of a one-per-person type, both customers by their best-known name. Phone values
 * are keyed hashes already.
 */
export function registerConflictRoutes(router: Router, app: AppContext): void {
  router.get('/conflicts', requireRole('viewer'), async (ctx) => {
    const limit = parseLimit(ctx.query.limit);
    const r = ctx.query.resolved;
    if (r !== undefined && r !== 'true' && r !== 'false') throw badRequest('resolved must be true or false');
    const customerId =
      typeof ctx.query.customerId === 'string' && ctx.query.customerId ? ctx.query.customerId : undefined;
    const rows = await listConflicts(app.ds, {
      limit: limit + 1,
      beforeId: parseIdCursor(ctx.query.cursor),
      resolved: r === undefined ? undefined : r === 'true',
      customerId,
    });
    const page = rows.slice(0, limit);
    const ids = new Set(page.flatMap((c) => [c.customerId, c.otherCustomerId].filter((id) => id !== null)));
    const names = await customerNames(
      app.ds,
      [...ids].map((id) => ({ id })),
    );
    const nameOf = (id: string | null): string | null => (id === null ? null : (names.get(id)?.name ?? null));
    const body: ConflictPageJson = {
      items: page.map((c) => ({
        id: c.id,
        type: c.type,
        scope: c.scope,
        existingValue: c.existingValue,
        refusedValue: c.refusedValue,
        customerId: c.customerId,
        customerName: nameOf(c.customerId),
        otherCustomerId: c.otherCustomerId,
        otherCustomerName: nameOf(c.otherCustomerId),
        reason: evidenceString(c.evidence, 'reason'),
        source: evidenceString(c.evidence, 'source'),
        resolved: c.resolved,
        createdAt: c.createdAt.toISOString(),
      })),
      nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
    };
    ctx.body = body;
  });
}
