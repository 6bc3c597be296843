import { TOKEN_ENDPOINT_ERRCODES } from '../common/http/errcode-table';
import type { TokenDefinition, TokenSource } from '../common/http/token-source';
import type { WechatHttpClient } from '../common/http/wechat-http-client';
import type { WecomConfig } from './config';

/** Which WeCom secret a token was issued for: each secret yields its own independent token (§1.3). */
export type WecomSecretName = 'contact' | 'agent' | 'directory';

/**
 * WeCom access_token per secret (wechat-api.md §1.3): the contact secret for external-contact APIs, the agent
 * secret for OAuth and JS-SDK tickets of the sidebar app, the contact-sync secret for the staff directory.
 * https://developer.work.weixin.qq.com/document/path/91039
 */
export function wecomAccessTokenDefinition(
  account: WecomConfig,
  http: WechatHttpClient,
  secretName: WecomSecretName,
  secret: string,
): TokenDefinition {
  return {
    account: account.corpId,
    kind: 'wecom_access_token',
    key: secretName,
    fetch: async () => {
      const wire = await http.call<{ access_token: string; expires_in: number }>({
        api: 'gettoken',
        method: 'GET',
        path: '/cgi-bin/gettoken',
        query: { corpid: account.corpId, corpsecret: secret },
        errcodes: TOKEN_ENDPOINT_ERRCODES,
      });
      return { value: wire.access_token, expiresInSeconds: wire.expires_in };
    },
  };
}

interface TicketWire {
  ticket: string;
  expires_in: number;
}

/**
 * Corp JS-SDK ticket for `wx.config` (wechat-api.md §1.5; 400/hour per corp, so shared like a token).
 * https://developer.work.weixin.qq.com/document/path/90506
 */
export function wecomJsapiTicketDefinition(
  account: WecomConfig,
  http: WechatHttpClient,
  accessToken: TokenSource,
): TokenDefinition {
  return {
    account: account.corpId,
    kind: 'wecom_jsapi_ticket',
    key: 'corp',
    fetch: async () => {
      const wire = await http.call<TicketWire>({
        api: 'get_jsapi_ticket',
        method: 'GET',
        path: '/cgi-bin/get_jsapi_ticket',
        token: accessToken,
      });
      return { value: wire.ticket, expiresInSeconds: wire.expires_in };
    },
  };
}

/**
 * App ticket for `wx.agentConfig` (wechat-api.md §1.5; 100/hour per app), keyed by agent id.
 * https://developer.work.weixin.qq.com/document/path/90506
 */
export function wecomAgentTicketDefinition(
  account: WecomConfig,
  http: WechatHttpClient,
  agentToken: TokenSource,
): TokenDefinition {
  return {
    account: account.corpId,
    kind: 'wecom_agent_ticket',
    key: String(account.agentId ?? 'agent'),
    fetch: async () => {
      const wire = await http.call<TicketWire>({
        api: 'ticket/get',
        method: 'GET',
        path: '/cgi-bin/ticket/get',
        query: { type: 'agent_config' },
        token: agentToken,
      });
      return { value: wire.ticket, expiresInSeconds: wire.expires_in };
    },
  };
}
