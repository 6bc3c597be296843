import { Readable } from 'node:stream';
import type Router from '@koa/router';
import type { Services } from '../../services';
import { principalOf, requireRole } from '../../auth/api-key.middleware';
import { DataBundleService } from '../../customers/data-bundle.service';
import { notFound } from '../http-error';
import { isCustomerId } from './customer-id';

/**
 * `GET /api/v1/customers/:id/export` (admin; DESIGN §12, §13): the person's data bundle as one JSON document,
 * streamed (the timeline is read a page at a time), offered as a download; every export is audited.
 */
export function registerCustomerExportRoutes(router: Router, app: Services): void {
  const bundles = new DataBundleService({ ds: app.ds, profiles: app.profiles, sealer: app.phoneCrypto, now: app.now });

  router.get('/customers/:id/export', requireRole('admin'), async (ctx) => {
    const id = ctx.params.id ?? '';
    if (!isCustomerId(id)) throw notFound('customer');
    const p = principalOf(ctx.state);
    const chunks = await bundles.open(id, { name: p.actor, role: p.role });
    if (!chunks) throw notFound('customer');
    ctx.type = 'application/json; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="customer-${id}.json"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = Readable.from(chunks);
  });
}
