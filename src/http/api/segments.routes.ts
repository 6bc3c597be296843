import type Router from '@koa/router';
import type { Services } from '../../services';
import { requireRole } from '../../auth/api-key.middleware';
import { outboxSignal } from '../../tags/outbox/outbox-signal';
import { segmentView } from '../../storage/segments/segment.repository';
import { parseIdCursor, parseLimit } from './paging';
import { actorOf, idParam } from './tags.routes';
import { responds } from './openapi';
import { segmentRunsSchema } from './overview.schemas';
import { badRequest } from '../http-error';
import { customerIdParam, isCustomerId } from './customer-id';
import { customerSegmentsSchema, explainQuery, segmentExplanationSchema } from './segment-explain.schemas';

/**
 * Segments (DESIGN §5, §8.3): `GET/POST /api/v1/segments`, `GET/PATCH/DELETE /api/v1/segments/:id`,
 * `POST /api/v1/segments/:id/preview` (count + sample; body `{ rule }` previews a draft), `POST /api/v1/segments/preview`
 * `{ rule }` (a segment not saved yet) and
 * `POST /api/v1/segments/:id/run` (the result, or 202 `{ jobId }` for a large customer base),
 * `GET /api/v1/segments/:id/runs` (every run's size and changes, newest first),
 * `GET /api/v1/segments/:id/explain?customerId=` (each condition met or not for one customer, with its facts) and
 * `GET /api/v1/customers/:id/segments` (the segments a customer is in). A bad rule is a
 * 422 whose `details.problems` lists every problem with its path.
 */
export function registerSegmentRoutes(router: Router, app: Services): void {
  const { segments, explainer } = app.tags;

  router.get('/segments', requireRole('viewer'), async (ctx) => {
    ctx.body = await segments.list({
      cursor: parseIdCursor(ctx.query.cursor),
      limit: parseLimit(ctx.query.limit, 50, 500),
    });
  });

  router.post('/segments', requireRole('operator'), async (ctx) => {
    ctx.status = 201;
    ctx.body = segmentView(await segments.create(ctx.request.body, actorOf(ctx)));
  });

  router.get('/segments/:id', requireRole('viewer'), async (ctx) => {
    ctx.body = segmentView(await segments.get(idParam(ctx, 'segment')));
  });

  router.get('/segments/:id/runs', requireRole('viewer'), responds(segmentRunsSchema), async (ctx) => {
    ctx.body = await segments.runs(idParam(ctx, 'segment'), {
      cursor: parseIdCursor(ctx.query.cursor),
      limit: parseLimit(ctx.query.limit, 50, 500),
    });
  });

  router.get(
    '/segments/:id/explain',
    requireRole('viewer'),
    responds(segmentExplanationSchema, explainQuery),
    async (ctx) => {
      const id = idParam(ctx, 'segment');
      const customerId = ctx.query.customerId;
      if (!isCustomerId(customerId)) throw badRequest('customerId must be one customer id');
      ctx.body = await explainer.explain(id, customerId);
    },
  );

  router.get('/customers/:id/segments', requireRole('viewer'), responds(customerSegmentsSchema), async (ctx) => {
    ctx.body = await explainer.segmentsOf(customerIdParam(ctx.params.id));
  });

  router.patch('/segments/:id', requireRole('operator'), async (ctx) => {
    ctx.body = segmentView(await segments.update(idParam(ctx, 'segment'), ctx.request.body, actorOf(ctx)));
  });

  router.delete('/segments/:id', requireRole('operator'), async (ctx) => {
    ctx.body = await segments.remove(idParam(ctx, 'segment'), actorOf(ctx));
    outboxSignal(app.ds).notify();
  });

  router.post('/segments/preview', requireRole('viewer'), async (ctx) => {
    ctx.body = await segments.previewDraft(ctx.request.body);
  });

  router.post('/segments/:id/preview', requireRole('viewer'), async (ctx) => {
    ctx.body = await segments.preview(idParam(ctx, 'segment'), ctx.request.body);
  });

  router.post('/segments/:id/run', requireRole('operator'), async (ctx) => {
    const outcome = await segments.requestRun(idParam(ctx, 'segment'), actorOf(ctx));
    if ('jobId' in outcome) {
      outboxSignal(app.ds).notify();
      ctx.status = 202;
    }
    ctx.body = outcome;
  });
}
