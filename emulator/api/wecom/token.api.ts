import { WxError } from '../../core/wx-error';
import { corpOf, type Endpoint } from '../../http/endpoint';

/**
 * GET /cgi-bin/gettoken?corpid&corpsecret — one token per (corp, app secret), the same one while valid
 * (`expires_in` = seconds left). Wrong secret 40001, unknown corp 40013 (wechat-api.md §1.3).
 * https://developer.work.weixin.qq.com/document/path/91039
 */
const gettoken: Endpoint = {
  path: '/cgi-bin/gettoken',
  method: 'ANY',
  product: 'wecom',
  auth: 'none',
  limit: 'handler',
  handle(call) {
    const { corpid, corpsecret } = call.query;
    if (!corpid) throw new WxError(41002);
    if (!corpsecret) throw new WxError(41004);
    const corp = call.world.corp(corpid);
    if (!corp) throw new WxError(40013);
    const app = [corp.corp.contactApp, corp.corp.agentApp, corp.corp.directoryApp].find((a) => a.secret === corpsecret);
    if (!app) throw new WxError(40001);
    call.hit(corpid);
    const t = call.state.wecomTokens.get(corpid, app, call.now);
    return { access_token: t.value, expires_in: t.expiresAt - call.now };
  },
};

/**
 * GET /cgi-bin/get_jsapi_ticket — the corp ticket for wx.config; ≤400 fetches per hour per corp (45009).
 * https://developer.work.weixin.qq.com/document/path/90506
 */
const corpTicket: Endpoint = {
  path: '/cgi-bin/get_jsapi_ticket',
  method: 'ANY',
  product: 'wecom',
  auth: 'wecom',
  handle(call) {
    const t = call.state.tickets.get('wecom-corp', corpOf(call).corp.corp.corpId, call.now);
    return { ticket: t.value, expires_in: t.expiresAt - call.now };
  },
};

/**
 * GET /cgi-bin/ticket/get?type=agent_config — the app ticket for wx.agentConfig; ≤100 per hour per app (45009).
 * Only self-built apps (with an agentid) have one.
 */
const agentTicket: Endpoint = {
  path: '/cgi-bin/ticket/get',
  method: 'ANY',
  product: 'wecom',
  auth: 'wecom',
  limit: 'handler',
  handle(call) {
    const { corp, token } = corpOf(call);
    if (call.query.type !== 'agent_config') throw new WxError(40058);
    if (token.app.agentId === undefined) throw new WxError(48002);
    const owner = `${corp.corp.corpId}|${token.app.agentId}`;
    call.hit(owner);
    const t = call.state.tickets.get('wecom-agent', owner, call.now);
    return { ticket: t.value, expires_in: t.expiresAt - call.now };
  },
};

export const wecomTokenEndpoints: Endpoint[] = [gettoken, corpTicket, agentTicket];
