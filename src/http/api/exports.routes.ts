import { Readable } from 'node:stream';
import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import { principalOf, requireRole } from '../../auth/api-key.middleware';
import { AuditLogWriter } from '../../audit/audit-log.writer';
import { CustomerExportService, type ExportSource } from '../../customers/customer-export.service';
import { identityScopes } from '../../customers/customer-filter';
import type { ExportFormat } from '../../customers/export-format';
import type { Services } from '../../services';
import { findSegment } from '../../storage/segments/segment.repository';
import { badRequest, conflict, notFound } from '../http-error';
import { parseCustomerFilter } from './customers.routes';
import { idParam } from './tags.routes';

function formatOf(v: unknown): ExportFormat {
  if (v === undefined || v === '' || v === 'csv') return 'csv';
  if (v === 'ndjson') return 'ndjson';
  throw badRequest('format must be csv or ndjson');
}

/**
 * Streamed exports (DESIGN §11): `GET /customers/export?format=csv|ndjson&<list filters>` and
 * `GET /segments/:id/export`. Registered before `/customers/:id`. The body is a stream of keyset pages, so memory
 * stays bounded whatever the size; the export is audited before the first byte goes out.
 */
export function registerExportRoutes(router: Router, app: Services): void {
  const exports = new CustomerExportService({
    profiles: app.profiles,
    phoneCrypto: app.phoneCrypto,
    scopes: identityScopes(app.config),
  });
  const audit = new AuditLogWriter(app.ds);

  const send = async (
    ctx: RouterContext,
    source: ExportSource,
    name: string,
    details: Record<string, unknown>,
  ): Promise<void> => {
    const format = formatOf(ctx.query.format);
    const p = principalOf(ctx.state);
    await audit.write({
      actor: p.name,
      role: p.role,
      action: 'customers.export',
      targetType: 'segmentTagId' in source ? 'segment' : 'customers',
      targetId: typeof details.segmentId === 'string' ? details.segmentId : null,
      details: { format, ...details },
    });
    const day = new Date(app.now()).toISOString().slice(0, 10).replace(/-/g, '');
    ctx.set('content-disposition', `attachment; filename="${name}-${day}.${format === 'csv' ? 'csv' : 'ndjson'}"`);
    ctx.set('cache-control', 'no-store');
    ctx.type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';
    const stream = Readable.from(exports.stream(app.ds, source, format, p.role), { objectMode: false });
    stream.on('error', (err) => app.logger.error({ err }, 'export failed mid-stream'));
    ctx.body = stream;
  };

  router.get('/customers/export', requireRole('operator'), async (ctx) => {
    const filter = parseCustomerFilter(ctx.query);
    await send(ctx, { filter }, 'customers', { filter });
  });

  router.get('/segments/:id/export', requireRole('operator'), async (ctx) => {
    const segment = await findSegment(app.ds, idParam(ctx, 'segment'));
    if (!segment) throw notFound('segment');
    // Members are the holders of the segment's tag from its runs; a segment whose tag was deleted has none.
    if (segment.tagId === null) throw conflict('the segment has no tag, so no members to export');
    await send(ctx, { segmentTagId: segment.tagId }, `segment-${segment.id}`, {
      segmentId: segment.id,
      segmentName: segment.name,
    });
  });
}
