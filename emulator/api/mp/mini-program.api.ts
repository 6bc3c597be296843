import { randomBytes } from 'crypto';
import { WxError } from '../../core/wx-error';
import { appOf, type Endpoint } from '../../http/endpoint';
import { checkAppCredentials } from '../oa/token.api';

/**
 * GET /sns/jscode2session — js codes are minted through the control API (they stand in for wx.login); single
 * use, 5 minutes → 40029; a code marked blocked → 40226; 100 calls/min per user → 45011. `unionid` only for an MP
 * bound to an open platform (wechat-api.md §6.1, §9).
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
 */
const jscode2session: Endpoint = {
  path: '/sns/jscode2session',
  method: 'ANY',
  product: 'mp',
  auth: 'none',
  limit: 'handler',
  handle(call) {
    const q = call.query;
    const app = checkAppCredentials(call, q.appid, q.secret, ['mini-program']);
    if (!q.js_code) throw new WxError(41008);
    if (q.grant_type !== 'authorization_code') throw new WxError(40002);
    const used = call.state.jsCodes.consume(q.js_code, call.now);
    if (used.status !== 'ok' || used.payload.appId !== app.appId) throw new WxError(40029);
    if (used.payload.blocked) throw new WxError(40226);
    const aud = call.world.mpApp(app.appId)!;
    const slot = used.payload.slot;
    call.hit(`${app.appId}|${slot}`);
    const sessionKey = randomBytes(16).toString('base64');
    aud.sessionKeys.set(slot, sessionKey);
    const out: Record<string, string> = { session_key: sessionKey, openid: aud.openid(slot) };
    if (app.openPlatform) out.unionid = app.openPlatform.unionCodec.encode(aud.slotPerson.get(slot));
    return out;
  },
};

/**
 * POST /wxa/business/getuserphonenumber {"code","openid"?} — JSON body only (a code in the query → 47001); phone
 * codes come from the control API; `countryCode` is a string as observed (wechat-api.md §6.2).
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html
 */
const phoneNumber: Endpoint = {
  path: '/wxa/business/getuserphonenumber',
  method: 'POST',
  product: 'mp',
  auth: 'app',
  appKinds: ['mini-program'],
  handle(call) {
    const { app } = appOf(call);
    const b = call.body();
    if (typeof b.code !== 'string' || b.code === '') throw new WxError(47001);
    const used = call.state.phoneCodes.consume(b.code, call.now);
    if (used.status !== 'ok' || used.payload.appId !== app.appId) throw new WxError(40029);
    if (b.openid !== undefined) {
      const aud = call.world.mpApp(app.appId)!;
      const slot = aud.slotOf(b.openid);
      if (slot < 0) throw new WxError(40003);
      if (used.payload.slot !== undefined && used.payload.slot !== slot) throw new WxError(40029);
    }
    const phone = used.payload.phone;
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: phone,
        purePhoneNumber: phone,
        countryCode: '86',
        watermark: { timestamp: call.now, appid: app.appId },
      },
    };
  },
};

export const miniProgramEndpoints: Endpoint[] = [jscode2session, phoneNumber];
