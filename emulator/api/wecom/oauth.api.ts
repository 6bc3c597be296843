import { ALNUM } from '../../core/hash';
import { WxError } from '../../core/wx-error';
import { corpOf, type Endpoint } from '../../http/endpoint';

/**
 * GET /cgi-bin/auth/getuserinfo?code — WeCom web OAuth: a member gets `userid` (and `user_ticket` for
 * snsapi_privateinfo), anyone else `openid` plus `external_userid` when they are a customer of this corp.
 * Codes: single use, 5 minutes, this corp only (→ 40029) (wechat-api.md §5.11).
 * https://developer.work.weixin.qq.com/document/path/91023
 */
const getUserInfo: Endpoint = {
  path: '/cgi-bin/auth/getuserinfo',
  method: 'ANY',
  product: 'wecom',
  auth: 'wecom',
  handle(call) {
    const { corp } = corpOf(call);
    if (!call.query.code) throw new WxError(41008, 'missing code');
    const used = call.state.wecomCodes.consume(call.query.code, call.now);
    if (used.status !== 'ok' || used.payload.corpId !== corp.corp.corpId) throw new WxError(40029);
    const p = used.payload;
    if (p.userid !== undefined) {
      const out: Record<string, unknown> = { userid: p.userid };
      if (p.privateInfo) out.user_ticket = call.state.rng.chars(64, ALNUM);
      return out;
    }
    const person = p.person!;
    const out: Record<string, unknown> = { openid: corp.corp.openidCodec.encode(person) };
    const slot = corp.personSlot.get(person);
    if (slot >= 0 && corp.relationsBySlot[slot]!.length > 0) out.external_userid = corp.externalUserid(slot);
    return out;
  },
};

export const wecomOauthEndpoints: Endpoint[] = [getUserInfo];
