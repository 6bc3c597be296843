import type { Middleware } from 'koa';
import type { EmulatorState } from '../state';
import { errorPage, signInMember, trusted, visitorOf } from './authorize.page';

/**
 * `login.work.weixin.qq.com/wwlogin/sso/login` (WeCom Web login, DESIGN §7.1): where a PC browser scans the
 * QR code with the WeCom app. The stub answers like the OAuth authorize page — the visitor set with
 * `POST /_emulator/oauth/visitors` (or `emulator_userid`), else the corp's first member — and redirects to
 * `redirect_uri?code=…&state=…` at once; the code is for `auth/getuserinfo` like an OAuth code. WeCom's errors
 * for a wrong corp, app or redirect domain are shown on its page, never redirected.
 * https://developer.work.weixin.qq.com/document/path/98151
 */
export function createWebLoginPage(state: EmulatorState): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== '/login.work.weixin.qq.com/wwlogin/sso/login') return next();
    const q = ctx.query as Record<string, string | undefined>;
    if (q.login_type !== 'CorpApp') return errorPage(ctx, 40058, 'login_type 参数错误');
    const corp = state.world.corp(q.appid);
    if (!corp) return errorPage(ctx, 40013, '不合法的 CorpID');
    if (q.agentid === undefined || Number(q.agentid) !== corp.corp.agentApp.agentId)
      return errorPage(ctx, 40056, '不合法的 agentid');
    let target: URL;
    try {
      target = new URL(q.redirect_uri ?? '');
    } catch {
      return errorPage(ctx, 40058, 'redirect_uri 参数错误');
    }
    if ((q.state ?? '').length > 128) return errorPage(ctx, 40058, 'state 参数错误');
    if (!trusted(corp.corp, target)) return errorPage(ctx, 50001, 'redirect_uri 需使用应用可信域名');
    signInMember(ctx, state, corp, visitorOf(state, ctx, corp.corp.corpId), {
      redirectUri: target.toString(),
      state: q.state ?? '',
      privateInfo: false,
    });
  };
}
