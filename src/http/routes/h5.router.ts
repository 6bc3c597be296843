import Router from '@koa/router';
import type { Services } from '../../services';
import { clearTokenCookie, setTokenCookie } from '../../auth/session-token';
import { browserErrors } from '../../h5/browser-errors.middleware';
import { allowListCors } from '../../h5/cors.middleware';
import { callbackPath, stateCookieName } from '../../h5/oauth-state';
import { H5_SESSION_COOKIE, VISITOR_SESSION_TTL_SECONDS, subjectOf } from '../../h5/visitor-session';
import { FrontDoorError } from '../../h5/front-door.errors';
import { visitorOf } from '../../track/visitor-auth';

/**
 * H5 front door of an Official Account (DESIGN §8.2):
 *   GET /h5/:appId/login?redirect=&scope=&anonymousId=  302 to WeChat's authorize page, state cookie set
 *   GET /h5/:appId/oauth/callback?code=&state=  session cookie set, 302 to the redirect (HTML page on refusal)
 *   GET /h5/:appId/jssdk-config?url=           { appId, timestamp, nonceStr, signature } for wx.config
 *   GET /h5/:appId/session                      { customerId, openid, unionid?, token } of the session cookie,
 *                                                so a page can send the token as Bearer (e.g. to /track)
 */
export function h5Router(app: Services): Router {
  const router = new Router();
  const doors = app.frontDoors;
  const browser = browserErrors(app.logger);
  const cors = allowListCors(doors.allow, 'GET, OPTIONS');
  const publicUrl = app.config.server.publicUrl;

  router.get('/h5/:appId/login', browser, (ctx) => {
    const { location, state } = doors.h5Login.start(
      ctx.params.appId!,
      ctx.query.redirect,
      ctx.query.scope,
      ctx.query.anonymousId,
    );
    setTokenCookie(ctx, state.cookieName, state.cookieValue, {
      maxAgeSeconds: state.maxAgeSeconds,
      path: state.cookiePath,
      publicUrl,
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(location);
  });

  router.get('/h5/:appId/oauth/callback', browser, async (ctx) => {
    const appId = ctx.params.appId!;
    const state = ctx.query.state;
    const cookieName = typeof state === 'string' && /^[0-9a-f]{32}$/.test(state) ? stateCookieName(state) : undefined;
    const stateCookie = cookieName ? ctx.cookies.get(cookieName) : undefined;
    ctx.set('Cache-Control', 'no-store');
    // The state cookie goes whatever happens next: one login attempt, one try.
    if (cookieName && stateCookie) clearTokenCookie(ctx, cookieName, { path: callbackPath(appId), publicUrl });
    const done = await doors.h5Login.finish(appId, ctx.query.code, state, stateCookie);
    // Cross-site: the H5 pages calling /track and /session may live on another site than the gateway. Writes
    // stay safe: /track takes JSON only (a preflight only allowed origins pass), /session is read via CORS only.
    setTokenCookie(ctx, H5_SESSION_COOKIE, done.sessionToken, {
      maxAgeSeconds: VISITOR_SESSION_TTL_SECONDS,
      crossSite: true,
      publicUrl,
    });
    ctx.redirect(done.redirect);
  });

  router.options('/h5/:appId/jssdk-config', cors);
  router.get('/h5/:appId/jssdk-config', cors, async (ctx) => {
    ctx.body = await doors.jssdk.configFor(ctx.params.appId!, ctx.query.url);
  });

  router.options('/h5/:appId/session', cors);
  router.get('/h5/:appId/session', cors, async (ctx) => {
    const appId = ctx.params.appId!;
    doors.h5Login.account(appId);
    const session = visitorOf(ctx, doors.tokens);
    if (session.ch !== 'h5' || session.app !== appId)
      throw new FrontDoorError('WRONG_APP', `this session was not issued by ${appId}`);
    const customerId = await doors.identity.findCustomerId(app.ds, subjectOf(session));
    if (!customerId) throw new FrontDoorError('SESSION_INVALID', 'this visitor is not known (erased); log in again');
    ctx.set('Cache-Control', 'no-store');
    const token = ctx.cookies.get(H5_SESSION_COOKIE) ?? /^Bearer\s+(\S+)/i.exec(ctx.get('authorization'))?.[1];
    ctx.body = { customerId, openid: session.oid, ...(session.uid ? { unionid: session.uid } : {}), token };
  });

  return router;
}
