import { TOKEN_ENDPOINT_ERRCODES } from './errcode-table';
import type { TokenFetchResult } from './token-source';
import type { WechatHttpClient } from './wechat-http-client';

interface TokenWire {
  access_token: string;
  expires_in: number;
}

/**
 * Stable access_token of an OA or MP (wechat-api.md §1.2): the same token while valid, so every instance and
 * every caller converge on one value; `force_refresh` only after WeChat rejected the stored one (20/day, ≥30 s
 * apart).
 * https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/getStableAccessToken.html
 */
export async function fetchStableAccessToken(
  http: WechatHttpClient,
  appId: string,
  secret: string,
  force: boolean,
): Promise<TokenFetchResult> {
  const wire = await http.call<TokenWire>({
    api: 'stable_token',
    method: 'POST',
    path: '/cgi-bin/stable_token',
    body: { grant_type: 'client_credential', appid: appId, secret, force_refresh: force },
    errcodes: TOKEN_ENDPOINT_ERRCODES,
  });
  return { value: wire.access_token, expiresInSeconds: wire.expires_in };
}

/**
 * Classic access_token (wechat-api.md §1.1): every call issues a new token and the previous one dies 5 minutes
 * later, which is why only one refresh per account may run at a time.
 * https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html
 */
export async function fetchClassicAccessToken(
  http: WechatHttpClient,
  appId: string,
  secret: string,
): Promise<TokenFetchResult> {
  const wire = await http.call<TokenWire>({
    api: 'token',
    method: 'GET',
    path: '/cgi-bin/token',
    query: { grant_type: 'client_credential', appid: appId, secret },
    errcodes: TOKEN_ENDPOINT_ERRCODES,
  });
  return { value: wire.access_token, expiresInSeconds: wire.expires_in };
}
