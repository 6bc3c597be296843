import Router from '@koa/router';
import type { Context } from 'koa';
import type { Services } from '../../services';
import { requestOrigin, sameOrigin } from '../../auth/api-key.middleware';
import { clearTokenCookie, setTokenCookie } from '../../auth/session-token';
import { stateCookieName } from '../../h5/oauth-state';
import { CONSOLE_CALLBACK_PATH } from '../../operators/console-login.service';
import { ABSOLUTE_SECONDS, CONSOLE_COOKIE } from '../../operators/console-session.service';
import type { SignInChoicesJson } from '../../operators/operators-api.types';
import { countPasswordOperators } from '../../storage/operators/operator.repository';
import { consoleBrowserErrors } from '../console-error-page';
import { forbidden } from '../http-error';
import { jsonBody } from '../middleware/json-body';

/**
 * Console sign-in (DESIGN §7.1):
 *   GET  /console/login                 the sign-in page (web/console); as JSON, the ways that apply
 *   GET  /auth/wecom/login?corpId=&next= 302 to WeCom Web login (inside the WeCom client: OAuth snsapi_base)
 *   GET  /auth/wecom/callback?code&state session cookie, 302 to `next`; a refusal is an HTML page
 *   POST /auth/password {login,password} 204 + cookie · 401 · 429
 *   POST /auth/logout                    204, the session ended
 * The sign-in and logout POSTs must come from this origin, like every cookie-carried change.
 */
export function consoleAuthRouter(app: Services): Router {
  const router = new Router();
  const { sessions, passwords, wecomLogin } = app.operators;
  const publicUrl = app.config.server.publicUrl;
  const browser = consoleBrowserErrors(app.logger);
  const setSession = (ctx: Context, token: string) =>
    setTokenCookie(ctx, CONSOLE_COOKIE, token, { maxAgeSeconds: ABSOLUTE_SECONDS, publicUrl });
  const ownOrigin = (ctx: Context) => {
    if (!sameOrigin(ctx.get('origin') || ctx.get('referer'), requestOrigin(ctx), publicUrl))
      throw forbidden('sign-in and sign-out must come from the console itself');
  };

  router.get('/console/login', async (ctx, next) => {
    if (ctx.accepts('html', 'json') !== 'json') return next();
    const body: SignInChoicesJson = {
      wecom: wecomLogin.corps().map((c) => ({ corpId: c.corpId, name: c.name ?? null })),
      password: (await countPasswordOperators(app.ds)) > 0,
    };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });

  router.get('/auth/wecom/login', browser, (ctx) => {
    const insideWecom = /\bwxwork\b/i.test(ctx.get('user-agent'));
    const { location, state } = wecomLogin.start(ctx.query.corpId, ctx.query.next, insideWecom);
    setTokenCookie(ctx, state.cookieName, state.cookieValue, {
      maxAgeSeconds: state.maxAgeSeconds,
      path: CONSOLE_CALLBACK_PATH,
      publicUrl,
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(location);
  });

  router.get(CONSOLE_CALLBACK_PATH, browser, async (ctx) => {
    const state = ctx.query.state;
    const cookieName = typeof state === 'string' && /^[0-9a-f]{32}$/.test(state) ? stateCookieName(state) : undefined;
    const stateCookie = cookieName ? ctx.cookies.get(cookieName) : undefined;
    ctx.set('Cache-Control', 'no-store');
    // One sign-in attempt, one try: the state cookie goes whatever happens next.
    if (cookieName && stateCookie) clearTokenCookie(ctx, cookieName, { path: CONSOLE_CALLBACK_PATH, publicUrl });
    const done = await wecomLogin.finish(ctx.query.code, state, stateCookie);
    setSession(ctx, await sessions.open(done.operatorId, 'wecom'));
    ctx.redirect(done.next);
  });

  router.post('/auth/password', jsonBody(4096), async (ctx) => {
    ownOrigin(ctx);
    const operatorId = await passwords.verify(ctx.request.body);
    setSession(ctx, await sessions.open(operatorId, 'password'));
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 204;
  });

  router.post('/auth/logout', async (ctx) => {
    ownOrigin(ctx);
    const cookie = ctx.cookies.get(CONSOLE_COOKIE);
    if (cookie) await sessions.close(cookie);
    clearTokenCookie(ctx, CONSOLE_COOKIE, { publicUrl });
    ctx.status = 204;
  });

  return router;
}
