import type Router from '@koa/router';
import type { AppContext } from '../../app-context';
import { requireRole } from '../../auth/api-key.middleware';
import { OVERVIEW_DAYS_DEFAULT, OVERVIEW_DAYS_MAX, OverviewService } from '../../overview/overview.service';
import { badRequest } from '../http-error';
import { responds } from './openapi';
import { overviewQuery, overviewSchema, rfmSchema } from './overview.schemas';

function parseDays(v: unknown): number {
  if (v === undefined || v === '') return OVERVIEW_DAYS_DEFAULT;
  const n = typeof v === 'string' && /^\d{1,3}$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > OVERVIEW_DAYS_MAX)
    throw badRequest(`days must be an integer from 1 to ${OVERVIEW_DAYS_MAX}`);
  return n;
}

/**
 * The console's landing page (DESIGN §8.3, §13), viewer and up:
 * `GET /api/v1/overview?days=30` → customers by channel, identity mix, new/lost per day in `server.timezone`,
 * tag push health per binding, outbox and inbox by status, the newest sync per account and resource;
 * `GET /api/v1/overview/rfm` → recency × frequency heat map and net spend histogram of the customers.
 */
export function registerOverviewRoutes(router: Router, app: AppContext): void {
  const overview = new OverviewService(app);

  router.get('/overview', requireRole('viewer'), responds(overviewSchema, overviewQuery), async (ctx) => {
    ctx.body = await overview.overview(parseDays(ctx.query.days));
  });

  router.get('/overview/rfm', requireRole('viewer'), responds(rfmSchema), async (ctx) => {
    ctx.body = await overview.rfm();
  });
}
