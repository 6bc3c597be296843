import { WxError } from '../core/wx-error';
import type { Call, Endpoint } from './endpoint';

/**
 * Resolves `access_token` (always a query parameter, wechat-api.md §0) to the calling app or corp.
 * Missing → 41001; unknown → 40014; expired → 42001; superseded past its grace → 40001 (§1.6). A per-user H5
 * token used on a server API → 48001 (§7.2: it "cannot call other APIs"); a token of the wrong app kind → 48001;
 * a WeCom app outside 客户联系 on external contact APIs → 48002.
 */
export function authenticate(call: Call, endpoint: Endpoint): void {
  if (endpoint.auth === 'none') return;
  const token = call.query.access_token;
  if (!token) throw new WxError(41001);
  const { state } = call;
  if (endpoint.auth === 'app') {
    if (state.snsTokens.isSnsToken(token)) throw new WxError(48001);
    const t = state.appTokens.validate(token, call.now);
    const app = call.world.wxApp(t.appId);
    if (!app) throw new WxError(40014);
    if (endpoint.appKinds && !endpoint.appKinds.includes(app.kind)) throw new WxError(48001);
    call.app = { app, token: t };
    return;
  }
  const t = state.wecomTokens.validate(token, call.now);
  const corp = call.world.corp(t.corpId);
  if (!corp) throw new WxError(40014);
  if (endpoint.externalContact && !t.app.externalContact) throw new WxError(48002);
  call.wecom = { corp, token: t };
}
