import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppContext } from '../../app-context';
import type { Services } from '../../services';
import { clearTokenCookie, setTokenCookie } from '../../auth/session-token';
import { browserErrors } from '../../h5/browser-errors.middleware';
import { stateCookieName } from '../../h5/oauth-state';
import { sidebarCorp } from '../../sidebar/sidebar-corps';
import { SidebarJssdkService } from '../../sidebar/sidebar-jssdk.service';
import { SIDEBAR_CALLBACK_PATH } from '../../sidebar/sidebar-login.service';
import type { SidebarServices } from '../../sidebar/sidebar-services.factory';
import { SidebarError } from '../../sidebar/sidebar.errors';
import {
  STAFF_SESSION_COOKIE,
  STAFF_SESSION_PATH,
  STAFF_SESSION_TTL_SECONDS,
  staffSessionOf,
  type StaffSession,
} from '../../sidebar/staff-session';
import { findWecom } from '../../../config';
import { validationFailed } from '../http-error';
import { tagIdsOf } from '../api/tag-ids';
import { jsonBody } from '../middleware/json-body';
import { webPageRouter } from '../web-assets';

/** Writes must carry it: a cross-site form cannot set a header, and a cross-site fetch with one needs CORS we never grant. */
export const SIDEBAR_CSRF_HEADER = 'x-siyu-sidebar';

/**
 * The WeCom chat sidebar (DESIGN §1, §7, §8.2):
 *   GET /sidebar/login?corpId=            302 to WeCom's authorize page (snsapi_base, the sidebar app's agentid)
 *   GET /sidebar/oauth/callback?code&state staff session cookie, 302 to the page (HTML page on refusal)
 *   GET /sidebar[?corpId=]                 the page (web/sidebar), or 302 to login without a session
 *   /sidebar/api/...                       JSON for the page: session, jssdk-config, customers/:externalUserId,
 *                                          tags, customers/:externalUserId/{attributes,notes,remark}; the
 *                                          session cookie is required, writes need X-Siyu-Sidebar: 1
 */
export function sidebarRouter(app: Services): Router {
  const router = new Router();
  const browser = browserErrors(app.logger);
  const sidebar = app.sidebar;
  const publicUrl = app.config.server.publicUrl;

  router.get('/sidebar/login', browser, (ctx) => {
    const { location, state } = sidebar.login.start(ctx.query.corpId);
    setTokenCookie(ctx, state.cookieName, state.cookieValue, {
      maxAgeSeconds: state.maxAgeSeconds,
      path: SIDEBAR_CALLBACK_PATH,
      publicUrl,
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(location);
  });

  router.get(SIDEBAR_CALLBACK_PATH, browser, async (ctx) => {
    const state = ctx.query.state;
    const cookieName = typeof state === 'string' && /^[0-9a-f]{32}$/.test(state) ? stateCookieName(state) : undefined;
    const stateCookie = cookieName ? ctx.cookies.get(cookieName) : undefined;
    ctx.set('Cache-Control', 'no-store');
    // One login attempt, one try: the state cookie goes whatever happens next.
    if (cookieName && stateCookie) clearTokenCookie(ctx, cookieName, { path: SIDEBAR_CALLBACK_PATH, publicUrl });
    const done = await sidebar.login.finish(ctx.query.code, state, stateCookie);
    // SameSite=Lax: inside WeCom the page is a top-level document on this site, so the cookie rides its API calls.
    setTokenCookie(ctx, STAFF_SESSION_COOKIE, done.token, {
      maxAgeSeconds: STAFF_SESSION_TTL_SECONDS,
      path: STAFF_SESSION_PATH,
      publicUrl,
    });
    ctx.redirect(done.redirect);
  });

  router.get('/sidebar', browser, async (ctx, next) => {
    const wanted = ctx.query.corpId;
    const session = liveSession(ctx, sidebar, app);
    if (session && (wanted === undefined || wanted === '' || wanted === session.corpId)) return next();
    const corp = sidebarCorp(app.config, wanted);
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(`/sidebar/login?corpId=${encodeURIComponent(corp.corpId)}`);
  });

  const scripts = SidebarJssdkService.scriptUrls(app.config);
  const custom = app.config.accounts.flatMap((a) => (a.kind === 'wecom' && a.jsSdkUrl ? [a.jsSdkUrl] : []));
  // A simulator (the emulator's) checks signatures with its own server: the page may call that origin too.
  const page = webPageRouter({
    page: 'sidebar',
    built: true,
    scriptSources: originsOf(scripts),
    connectSources: originsOf(custom),
  });
  router.use(page.routes());
  router.use(apiRouter(app, sidebar).routes());
  return router;
}

function apiRouter(app: AppContext, sidebar: SidebarServices): Router {
  const api = new Router({ prefix: '/sidebar/api' });
  api.use(staffOnly(app, sidebar));
  api.use(jsonBody(app.config.server.maxJsonBytes));
  const staff = (state: Record<string, unknown>) => state.staff as StaffSession;

  api.get('/session', async (ctx) => {
    ctx.body = await sidebar.customers.session(staff(ctx.state));
  });

  api.get('/jssdk-config', async (ctx) => {
    ctx.body = await sidebar.jssdk.configFor(sidebarCorp(app.config, staff(ctx.state).corpId), ctx.query.url);
  });

  api.get('/customers/:externalUserId', async (ctx) => {
    ctx.body = await sidebar.customers.profile(staff(ctx.state), ctx.params.externalUserId!);
  });

  api.get('/tags', async (ctx) => {
    const { q, cursor, limit } = ctx.query;
    const n = limit === undefined ? 500 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 500) throw validationFailed('limit must be 1 to 500');
    if (q !== undefined && (typeof q !== 'string' || q.length > 64))
      throw validationFailed('q must be at most 64 characters');
    if (cursor !== undefined && (typeof cursor !== 'string' || !/^\d{1,19}$/.test(cursor)))
      throw validationFailed('cursor is not valid');
    ctx.body = await sidebar.customers.tags(staff(ctx.state), {
      limit: n,
      ...(q ? { q: q as string } : {}),
      ...(cursor ? { cursor: cursor as string } : {}),
    });
  });

  api.post('/customers/:externalUserId/tags', async (ctx) => {
    const tagIds = tagIdsOf(ctx.request.body);
    ctx.body = await sidebar.customers.addTags(staff(ctx.state), ctx.params.externalUserId!, tagIds);
  });

  api.patch('/customers/:externalUserId/attributes', async (ctx) => {
    ctx.body = await sidebar.customers.setAttributes(staff(ctx.state), ctx.params.externalUserId!, ctx.request.body);
  });

  api.post('/customers/:externalUserId/notes', async (ctx) => {
    ctx.body = await sidebar.customers.addNote(staff(ctx.state), ctx.params.externalUserId!, ctx.request.body);
    ctx.status = 201;
  });

  api.patch('/customers/:externalUserId/remark', async (ctx) => {
    ctx.body = await sidebar.customers.setRemark(staff(ctx.state), ctx.params.externalUserId!, ctx.request.body);
    ctx.status = 202;
  });

  api.delete('/customers/:externalUserId/tags/:tagId', async (ctx) => {
    const tagId = ctx.params.tagId ?? '';
    if (!/^\d{1,19}$/.test(tagId)) throw new SidebarError('CUSTOMER_NOT_FOUND', 'no such tag on this customer');
    ctx.body = await sidebar.customers.removeTag(staff(ctx.state), ctx.params.externalUserId!, tagId);
  });
  return api;
}

/** Session first (401), then the CSRF header on writes (403); answers are never cached. */
function staffOnly(app: AppContext, sidebar: SidebarServices): Middleware {
  return async (ctx, next) => {
    const session = staffSessionOf(ctx, sidebar.tokens);
    if (!findWecom(app.config, session.corpId))
      throw new SidebarError('SESSION_INVALID', 'the corp of this session is no longer configured; reload the page');
    if (!['GET', 'HEAD', 'OPTIONS'].includes(ctx.method) && ctx.get(SIDEBAR_CSRF_HEADER) !== '1') {
      throw new SidebarError('CSRF_HEADER_REQUIRED', `send the header ${SIDEBAR_CSRF_HEADER}: 1 with every change`);
    }
    ctx.state.staff = session;
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
}

function liveSession(
  ctx: Parameters<Middleware>[0],
  sidebar: SidebarServices,
  app: AppContext,
): StaffSession | undefined {
  try {
    const session = staffSessionOf(ctx, sidebar.tokens);
    return findWecom(app.config, session.corpId) ? session : undefined;
  } catch {
    return undefined;
  }
}

function originsOf(urls: readonly string[]): string[] {
  return [...new Set(urls.map((u) => new URL(u).origin))];
}
