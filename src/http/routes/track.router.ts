import Router from '@koa/router';
import type { Services } from '../../services';
import { allowListCors } from '../../h5/cors.middleware';
import { parseTrackBatch, TRACK_LIMITS } from '../../track/track.schema';
import { TrackService } from '../../track/track.service';
import { visitorOf } from '../../track/visitor-auth';
import { jsonBody } from '../middleware/json-body';

/**
 * `POST /track` (DESIGN §8.2): `{ events: [{ id, type, occurredAt, properties }] }`, at most 100, from
 * an H5 page (session cookie or Bearer token, CORS for allowed origins) or a Mini Program (Bearer token).
 * The visitor is authenticated before the body is read; answers `{ customerId, accepted, duplicates }`.
 */
export function trackRouter(app: Services): Router {
  const router = new Router();
  const doors = app.frontDoors;
  const service = new TrackService({ ds: app.ds, identity: doors.identity });
  const cors = allowListCors(doors.allow, 'POST, OPTIONS');

  router.options('/track', cors);
  router.post(
    '/track',
    cors,
    async (ctx, next) => {
      ctx.state.visitor = visitorOf(ctx, doors.tokens);
      await next();
    },
    jsonBody(TRACK_LIMITS.maxBodyBytes),
    async (ctx) => {
      const events = parseTrackBatch(ctx.request.body, app.now());
      ctx.body = await service.record(ctx.state.visitor!, events);
    },
  );

  return router;
}
