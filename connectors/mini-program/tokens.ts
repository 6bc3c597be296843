import { fetchStableAccessToken } from '../common/http/app-access-token';
import type { TokenDefinition } from '../common/http/token-source';
import type { WechatHttpClient } from '../common/http/wechat-http-client';
import type { MiniProgramConfig } from './config';

/**
 * MP access_token through `stable_token` (wechat-api.md §1.2): the recommended call for Mini Programs too, and
 * it does not invalidate tokens other tools may hold for the same appid.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getStableAccessToken.html
 */
export function mpAccessTokenDefinition(account: MiniProgramConfig, http: WechatHttpClient): TokenDefinition {
  return {
    account: account.appId,
    kind: 'mp_access_token',
    key: 'stable',
    fetch: ({ force }) => fetchStableAccessToken(http, account.appId, account.appSecret, force),
  };
}
