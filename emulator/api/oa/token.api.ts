import { WxError } from '../../core/wx-error';
import type { Call, Endpoint } from '../../http/endpoint';
import { appOf } from '../../http/endpoint';
import type { WxApp } from '../../world/apps';

/** Credential checks shared by /cgi-bin/token, /cgi-bin/stable_token and /sns/jscode2session. */
export function checkAppCredentials(
  call: Call,
  appid: unknown,
  secret: unknown,
  kinds?: readonly WxApp['kind'][],
): WxApp {
  if (typeof appid !== 'string' || appid === '') throw new WxError(41002);
  if (typeof secret !== 'string' || secret === '') throw new WxError(41004);
  const app = call.world.wxApp(appid);
  if (!app || (kinds && !kinds.includes(app.kind))) throw new WxError(40013);
  if (secret !== app.appSecret) throw new WxError(40125);
  // The API IP allow-list applies to OA token calls; Mini Programs are exempt (wechat-api.md §1.1).
  if (app.kind === 'official-account' && app.ipWhitelist.length > 0 && !app.ipWhitelist.includes(call.ip))
    throw new WxError(40164);
  return app;
}

/**
 * GET /cgi-bin/token — a new token per call, the previous one valid 300 s more; 2000 calls/day (45009).
 * https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html
 */
const token: Endpoint = {
  path: '/cgi-bin/token',
  method: 'ANY',
  product: 'oa',
  auth: 'none',
  limit: 'handler',
  handle(call) {
    const q = call.query;
    if (!q.appid) throw new WxError(41002);
    if (q.grant_type !== 'client_credential') throw new WxError(40002);
    const app = checkAppCredentials(call, q.appid, q.secret);
    call.hit(app.appId);
    const t = call.state.appTokens.issueClassic(app.appId, call.now);
    return { access_token: t.value, expires_in: t.expiresAt - call.now };
  },
};

/**
 * POST /cgi-bin/stable_token — JSON body only; same token while valid, rotation in the last 300 s,
 * force_refresh ≤20/day and ≥30 s apart. https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/getStableAccessToken.html
 */
const stableToken: Endpoint = {
  path: '/cgi-bin/stable_token',
  method: 'POST',
  product: 'oa',
  auth: 'none',
  limit: 'handler',
  handle(call) {
    const b = call.body();
    if (typeof b.appid !== 'string' || b.appid === '') throw new WxError(41002);
    if (b.grant_type !== 'client_credential') throw new WxError(40002);
    if (b.force_refresh !== undefined && typeof b.force_refresh !== 'boolean') throw new WxError(47001);
    const app = checkAppCredentials(call, b.appid, b.secret);
    call.hit(app.appId);
    const t = call.state.appTokens.stableToken(app.appId, call.now, b.force_refresh === true);
    return { access_token: t.value, expires_in: t.expiresAt - call.now };
  },
};

/**
 * POST /cgi-bin/clear_quota — resets the app's daily counters; 10 per month, then 48006.
 * https://developers.weixin.qq.com/doc/offiaccount/openApi/clear_quota.html
 */
const clearQuota: Endpoint = {
  path: '/cgi-bin/clear_quota',
  method: 'POST',
  product: 'oa',
  auth: 'app',
  handle(call) {
    const { app } = appOf(call);
    if (call.body().appid !== app.appId) throw new WxError(40013);
    const month = new Date((call.now + 8 * 3600) * 1000).toISOString().slice(0, 7);
    const used = call.state.quotaClears.get(app.appId);
    const count = used && used.month === month ? used.count : 0;
    if (count >= 10) throw new WxError(48006);
    call.state.quotaClears.set(app.appId, { month, count: count + 1 });
    call.state.limiter.clearDaily(app.appId);
    return { errcode: 0, errmsg: 'ok' };
  },
};

/** POST /cgi-bin/openapi/quota/get — daily_limit / used / remain of one API for the calling app. */
const quotaGet: Endpoint = {
  path: '/cgi-bin/openapi/quota/get',
  method: 'POST',
  product: 'oa',
  auth: 'app',
  handle(call) {
    const path = call.body().cgi_path;
    if (typeof path !== 'string' || !path.startsWith('/')) throw new WxError(47001);
    const quota = call.state.limiter.usage(`api.weixin.qq.com${path}`, appOf(call).app.appId, 'oa', call.now);
    return { errcode: 0, errmsg: 'ok', quota };
  },
};

/**
 * GET /cgi-bin/ticket/getticket?type=jsapi — the JS-SDK ticket, 7200 s, cached by WeChat too [choice].
 * https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/JS-SDK.html#62
 */
const getTicket: Endpoint = {
  path: '/cgi-bin/ticket/getticket',
  method: 'ANY',
  product: 'oa',
  auth: 'app',
  appKinds: ['official-account'],
  handle(call) {
    if (call.query.type !== 'jsapi' && call.query.type !== 'wx_card') throw new WxError(40097, 'invalid args');
    const t = call.state.tickets.get('jsapi', `${appOf(call).app.appId}|${call.query.type}`, call.now);
    return { errcode: 0, errmsg: 'ok', ticket: t.value, expires_in: t.expiresAt - call.now };
  },
};

export const tokenEndpoints: Endpoint[] = [token, stableToken, clearQuota, quotaGet, getTicket];
