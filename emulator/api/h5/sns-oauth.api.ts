import { hash32 } from '../../core/hash';
import { WxError } from '../../core/wx-error';
import type { Call, Endpoint } from '../../http/endpoint';
import type { SnsGrant } from '../../tokens/sns-tokens';
import { checkAppCredentials } from '../oa/token.api';

/**
 * H5 web OAuth server side (wechat-api.md §7.2–7.5, §13 item 14). Codes come from the authorize page
 * (oauth/authorize.page.ts): single use (second use → 40163), 5 minutes (→ 42003). unionid only for
 * snsapi_userinfo on a bound OA; snsapi_base tokens get 48001 on /sns/userinfo.
 * https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
 */
const H5 = { product: 'h5', auth: 'none', method: 'ANY' } as const;

function grantBody(call: Call, g: SnsGrant, snapshot: boolean): Record<string, unknown> {
  const aud = call.world.oaApp(g.appId)!;
  const out: Record<string, unknown> = {
    access_token: g.accessToken,
    expires_in: g.accessExpiresAt - call.now,
    refresh_token: g.refreshToken,
    openid: aud.openid(g.slot),
    scope: g.scope,
  };
  if (snapshot) out.is_snapshotuser = 1;
  const op = aud.app.openPlatform;
  if (op && g.scope === 'snsapi_userinfo') out.unionid = op.unionCodec.encode(aud.slotPerson.get(g.slot));
  return out;
}

function liveGrant(call: Call): SnsGrant {
  const token = call.query.access_token;
  if (!token) throw new WxError(41001);
  const g = call.state.snsTokens.validate(token, call.now);
  if (call.world.oaApp(g.appId)?.openid(g.slot) !== call.query.openid) throw new WxError(40003);
  return g;
}

/** GET /sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code */
const accessToken: Endpoint = {
  ...H5,
  path: '/sns/oauth2/access_token',
  handle(call) {
    const q = call.query;
    const app = checkAppCredentials(call, q.appid, q.secret, ['official-account']);
    if (!q.code) throw new WxError(41008);
    if (q.grant_type !== 'authorization_code') throw new WxError(40002);
    const used = call.state.h5Codes.consume(q.code, call.now);
    if (used.payload && used.payload.appId !== app.appId) throw new WxError(40029);
    if (used.status === 'used') throw new WxError(40163);
    if (used.status === 'expired') throw new WxError(42003);
    if (used.status !== 'ok') throw new WxError(40029);
    const p = used.payload;
    return grantBody(call, call.state.snsTokens.grant(app.appId, p.slot, p.scope, call.now), p.snapshot);
  },
};

/** GET /sns/oauth2/refresh_token?appid&grant_type=refresh_token&refresh_token — 40030 unknown, 42002 after 30 days. */
const refreshToken: Endpoint = {
  ...H5,
  path: '/sns/oauth2/refresh_token',
  handle(call) {
    const q = call.query;
    if (!q.appid) throw new WxError(41002);
    if (!call.world.oaApp(q.appid)) throw new WxError(40013);
    if (q.grant_type !== 'refresh_token') throw new WxError(40002);
    const g = call.state.snsTokens.refresh(q.appid, q.refresh_token, call.now);
    const body = grantBody(call, g, false);
    delete body.unionid;
    return body;
  },
};

/** GET /sns/userinfo?access_token&openid&lang — sex/province/city/country blank since 2021. */
const userinfo: Endpoint = {
  ...H5,
  path: '/sns/userinfo',
  handle(call) {
    const g = liveGrant(call);
    if (g.scope !== 'snsapi_userinfo') throw new WxError(48001);
    const aud = call.world.oaApp(g.appId)!;
    const person = aud.slotPerson.get(g.slot);
    const out: Record<string, unknown> = {
      openid: aud.openid(g.slot),
      nickname: call.world.persons.name(person),
      sex: 0,
      city: '',
      province: '',
      country: '',
      headimgurl: `https://thirdwx.qlogo.cn/mmopen/vi_32/${hash32(person, 0x1e6).toString(36)}/132`,
      privilege: [],
    };
    if (aud.app.openPlatform) out.unionid = aud.app.openPlatform.unionCodec.encode(person);
    return out;
  },
};

/** GET /sns/auth?access_token&openid → {"errcode":0,"errmsg":"ok"} while valid. */
const auth: Endpoint = {
  ...H5,
  path: '/sns/auth',
  handle(call) {
    liveGrant(call);
    return { errcode: 0, errmsg: 'ok' };
  },
};

export const snsEndpoints: Endpoint[] = [accessToken, refreshToken, userinfo, auth];
