import { fetchClassicAccessToken, fetchStableAccessToken } from '../common/http/app-access-token';
import type { TokenDefinition, TokenSource } from '../common/http/token-source';
import type { WechatHttpClient } from '../common/http/wechat-http-client';
import type { OfficialAccountConfig } from './config';

/** OA access_token: `stable_token` by default, `/cgi-bin/token` with `tokenMode: classic`. */
export function oaAccessTokenDefinition(account: OfficialAccountConfig, http: WechatHttpClient): TokenDefinition {
  return {
    account: account.appId,
    kind: 'oa_access_token',
    key: account.tokenMode,
    fetch: ({ force }) =>
      account.tokenMode === 'classic'
        ? fetchClassicAccessToken(http, account.appId, account.appSecret)
        : fetchStableAccessToken(http, account.appId, account.appSecret, force),
  };
}

/**
 * OA JS-SDK ticket (wechat-api.md §1.4): the call budget is "very limited", so it is shared like a token.
 * https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/JS-SDK.html#62
 */
export function oaJsapiTicketDefinition(
  account: OfficialAccountConfig,
  http: WechatHttpClient,
  accessToken: TokenSource,
): TokenDefinition {
  return {
    account: account.appId,
    kind: 'oa_jsapi_ticket',
    key: 'jsapi',
    fetch: async () => {
      const wire = await http.call<{ ticket: string; expires_in: number }>({
        api: 'ticket/getticket',
        method: 'GET',
        path: '/cgi-bin/ticket/getticket',
        query: { type: 'jsapi' },
        token: accessToken,
      });
      return { value: wire.ticket, expiresInSeconds: wire.expires_in };
    },
  };
}
