import Router from '@koa/router';
import type { Services } from '../../services';
import { allowListCors } from '../../h5/cors.middleware';
import { parseTrackBatch, TRACK_LIMITS } from '../../track/track.schema';
import { TrackService } from '../../track/track.service';
import { visitorOf } from '../../track/visitor-auth';
import { H5_SESSION_COOKIE } from '../../h5/visitor-session';
import { AnonymousRateLimit } from '../../track/anonymous-rate-limit';
import { parseAnonymousBatch } from '../../track/anonymous-track.schema';
import { jsonBody } from '../middleware/json-body';

/**
 * `POST /track` (DESIGN §8.2): `{ events: [{ id, type, occurredAt, properties }] }`, at most 100, from
 * an H5 page (session cookie or Bearer token, CORS for allowed origins) or a Mini Program (Bearer token).
 * The visitor is authenticated before the body is read; answers `{ customerId, accepted, duplicates }`.
 * Without a token or cookie it is an anonymous visitor's call (DESIGN §11): `{ anonymousId, appId?, events }`, the
 * client address counted before the body is read and the anonymous id after, each within its rate limit.
 */
export function trackRouter(app: Services, limits = new AnonymousRateLimit()): Router {
  const router = new Router();
  const doors = app.frontDoors;
  const service = new TrackService({ ds: app.ds, identity: doors.identity });
  const cors = allowListCors(doors.allow, 'POST, OPTIONS');

  router.options('/track', cors);
  router.post(
    '/track',
    cors,
    async (ctx, next) => {
      if (ctx.get('authorization') === '' && !ctx.cookies.get(H5_SESSION_COOKIE)) limits.address(ctx.ip);
      else ctx.state.visitor = visitorOf(ctx, doors.tokens);
      await next();
    },
    jsonBody(TRACK_LIMITS.maxBodyBytes),
    async (ctx) => {
      if (ctx.state.visitor) {
        ctx.body = await service.record(ctx.state.visitor, parseTrackBatch(ctx.request.body, app.now()));
        return;
      }
      const batch = parseAnonymousBatch(ctx.request.body, app.config, app.now());
      limits.visitor(batch.anonymousId);
      ctx.body = await service.recordAnonymous(batch);
    },
  );

  return router;
}
