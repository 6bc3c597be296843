import type { Context, Middleware } from 'koa';
import type { EmulatorState, Visitor } from '../state';
import type { Corp } from '../world/apps';
import type { WecomCorp } from '../world/wecom-corp';

/**
 * `open.weixin.qq.com/connect/oauth2/authorize` (wechat-api.md §7.1, §5.11, §13 item 14): a browser stub that
 * redirects to `redirect_uri?code=…&state=…` without a consent page. Who the visitor is comes from, in order:
 * `emulator_person` / `emulator_userid` query parameters, a queued visitor (control API), a sticky visitor (control
 * API), else a new person (OA) or the corp's first member (WeCom). A queued visitor with `consent:false` on snsapi_userinfo is redirected with
 * `state` only, as WeChat does on refusal. Parameter errors answer WeChat's error-page codes (1001x).
 * https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
 */
const OA_SCOPES = ['snsapi_base', 'snsapi_userinfo'];
const WECOM_SCOPES = ['snsapi_base', 'snsapi_privateinfo', 'snsapi_userinfo'];

export function errorPage(ctx: Context, code: number, text: string): void {
  ctx.status = 200;
  ctx.type = 'html';
  ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>微信网页授权</title></head><body><h3>Oops! Something went wrong:(</h3><p>${code} ${text}</p></body></html>`;
}

export function visitorOf(state: EmulatorState, ctx: Context, appId: string): Visitor | undefined {
  const p = ctx.query.emulator_person;
  const u = ctx.query.emulator_userid;
  if (typeof p === 'string' && p !== '') return { personId: Number(p), consent: true, snapshot: false };
  if (typeof u === 'string' && u !== '') return { userid: u, consent: true, snapshot: false };
  return state.visitors.get(appId)?.shift() ?? state.stickyVisitors.get(appId);
}

export function redirect(ctx: Context, redirectUri: string, params: Record<string, string>): void {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  ctx.redirect(url.toString());
}

export function createAuthorizePage(state: EmulatorState): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== '/open.weixin.qq.com/connect/oauth2/authorize') return next();
    const q = ctx.query as Record<string, string | undefined>;
    if (!q.appid) return errorPage(ctx, 10012, 'appid 参数错误');
    if (!q.redirect_uri) return errorPage(ctx, 10011, 'redirect_uri 参数错误');
    if (!q.scope) return errorPage(ctx, 10010, 'scope 参数错误');
    if ((q.state ?? '').length > 128) return errorPage(ctx, 10013, 'state 参数错误');
    let target: URL;
    try {
      target = new URL(q.redirect_uri);
    } catch {
      return errorPage(ctx, 10011, 'redirect_uri 参数错误');
    }
    const w = state.world;
    const now = state.now();
    const stateParam = q.state ?? '';
    const visitor = visitorOf(state, ctx, q.appid);
    const oa = w.oaApp(q.appid);
    if (oa) {
      if (!OA_SCOPES.includes(q.scope)) return errorPage(ctx, 10005, '此公众号并没有这些 scope 的权限');
      if (oa.app.oauthDomain && target.host !== oa.app.oauthDomain)
        return errorPage(ctx, 10003, 'redirect_uri 域名与后台配置不一致');
      if (q.scope === 'snsapi_userinfo' && visitor && !visitor.consent)
        return redirect(ctx, q.redirect_uri, { state: stateParam });
      const person =
        visitor?.personId !== undefined && w.persons.exists(visitor.personId) ? visitor.personId : w.addPerson();
      const slot = oa.ensureSlot(person, now);
      oa.h5Slots.add(slot);
      const scope = q.scope as 'snsapi_base' | 'snsapi_userinfo';
      const { code } = state.h5Codes.mint(
        { appId: oa.app.appId, slot, scope, snapshot: visitor?.snapshot ?? false },
        now,
      );
      return redirect(ctx, q.redirect_uri, { code, state: stateParam });
    }
    const corp = w.corp(q.appid);
    if (!corp) return errorPage(ctx, 10016, 'appid 参数错误');
    if (!WECOM_SCOPES.includes(q.scope)) return errorPage(ctx, 10005, 'scope 参数错误');
    if (!trusted(corp.corp, target)) return errorPage(ctx, 50001, 'redirect_uri 需使用应用可信域名');
    return signInMember(ctx, state, corp, visitor, {
      redirectUri: q.redirect_uri,
      state: stateParam,
      privateInfo: q.scope === 'snsapi_privateinfo',
    });
  };
}

/** WeCom checks the redirect's host against the self-built app's trusted domain (可信域名), when one is set. */
export function trusted(corp: Corp, target: URL): boolean {
  return corp.trustedDomain === undefined || target.host === corp.trustedDomain;
}

/**
 * A WeCom visit ends with a code for `auth/getuserinfo`: a person (a customer, for the OAuth page only) or a
 * member — the visitor's userid, else the corp's first member with the customer-contact feature.
 */
export function signInMember(
  ctx: Context,
  state: EmulatorState,
  corp: WecomCorp,
  visitor: Visitor | undefined,
  to: { redirectUri: string; state: string; privateInfo: boolean },
): void {
  const w = state.world;
  const now = state.now();
  const privateInfo = to.privateInfo;
  if (visitor?.personId !== undefined && w.persons.exists(visitor.personId)) {
    const { code } = state.wecomCodes.mint({ corpId: corp.corp.corpId, person: visitor.personId, privateInfo }, now);
    return redirect(ctx, to.redirectUri, { code, state: to.state });
  }
  const staff = visitor?.userid ? corp.staffByUserid.get(visitor.userid) : corp.staff.find((s) => s.contactFeature);
  if (!staff) return errorPage(ctx, 60111, 'userid 不存在');
  const { code } = state.wecomCodes.mint({ corpId: corp.corp.corpId, userid: staff.userid, privateInfo }, now);
  return redirect(ctx, to.redirectUri, { code, state: to.state });
}
