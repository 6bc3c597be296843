import type { TokenSource } from '../common/http/token-source';
import { isWechatApiError } from '../common/http/wechat-api-error';
import type { WechatHttpClient } from '../common/http/wechat-http-client';
import type { OfficialAccountConfig } from '../official-account/config';
import type { OauthScope, OauthTokenWire, OauthUserInfoWire } from './client-types';

type H5Account = Pick<OfficialAccountConfig, 'appId' | 'appSecret' | 'oauthBase'>;

/**
 * H5 web OAuth of an Official Account (wechat-api.md §7): the code flow and the visitor's own web token.
 * No call here uses the shared access_token; only `jsapiTicket` reads the OA's shared ticket.
 */
export class H5Client {
  readonly appId: string;

  constructor(
    private readonly account: H5Account,
    readonly http: WechatHttpClient,
    private readonly jsapiTicketSource: TokenSource,
  ) {
    this.appId = account.appId;
  }

  /**
   * Where to send the browser; WeChat comes back to `redirectUri?code=…&state=…` (only `state` on refusal).
   * https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html#0
   */
  authorizeUrl(redirectUri: string, scope: OauthScope, state: string): string {
    const q = new URLSearchParams({
      appid: this.account.appId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope,
      state,
    });
    return `${this.account.oauthBase}/connect/oauth2/authorize?${q.toString()}#wechat_redirect`;
  }

  /**
   * code (single use, 5 min) → the visitor's openid, web token and (snsapi_userinfo, bound OA) unionid.
   * https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html#1
   */
  exchangeCode(code: string): Promise<OauthTokenWire> {
    return this.http.call<OauthTokenWire>({
      api: 'sns/oauth2/access_token',
      method: 'GET',
      path: '/sns/oauth2/access_token',
      query: { appid: this.account.appId, secret: this.account.appSecret, code, grant_type: 'authorization_code' },
    });
  }

  /** https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html#2 */
  refreshToken(refreshToken: string): Promise<OauthTokenWire> {
    return this.http.call<OauthTokenWire>({
      api: 'sns/oauth2/refresh_token',
      method: 'GET',
      path: '/sns/oauth2/refresh_token',
      query: { appid: this.account.appId, grant_type: 'refresh_token', refresh_token: refreshToken },
    });
  }

  /** Needs a snsapi_userinfo web token (48001 otherwise). https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html#3 */
  userInfo(
    webAccessToken: string,
    openid: string,
    lang: 'zh_CN' | 'zh_TW' | 'en' = 'zh_CN',
  ): Promise<OauthUserInfoWire> {
    return this.http.call<OauthUserInfoWire>({
      api: 'sns/userinfo',
      method: 'GET',
      path: '/sns/userinfo',
      query: { access_token: webAccessToken, openid, lang },
    });
  }

  /**
   * Whether a visitor's web token is still valid; false on any WeChat rejection, transport errors propagate.
   * https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html#4
   */
  async checkToken(webAccessToken: string, openid: string): Promise<boolean> {
    try {
      await this.http.call<object>({
        api: 'sns/auth',
        method: 'GET',
        path: '/sns/auth',
        query: { access_token: webAccessToken, openid },
      });
      return true;
    } catch (e) {
      if (isWechatApiError(e) && e.errcode !== null) return false;
      throw e;
    }
  }

  /** The OA's shared JS-SDK ticket, for `wx.config` on H5 pages. */
  jsapiTicket(): Promise<string> {
    return this.jsapiTicketSource.get();
  }
}
