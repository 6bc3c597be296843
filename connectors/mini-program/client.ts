import type { TokenSource } from '../common/http/token-source';
import type { WechatHttpClient } from '../common/http/wechat-http-client';
import type { Code2SessionWire, PhoneInfoWire, PhoneNumber } from './client-types';
import type { MiniProgramConfig } from './config';

/** Typed Mini Program client for one appid, built by `createClients` (src/tokens/clients.ts). */
export class MiniProgramClient {
  readonly appId: string;

  constructor(
    private readonly account: Pick<MiniProgramConfig, 'appId' | 'appSecret'>,
    readonly http: WechatHttpClient,
    readonly accessToken: TokenSource,
  ) {
    this.appId = account.appId;
  }

  /**
   * wx.login code → openid, session_key and (bound MPs) unionid. Authenticated by appid+secret, not the
   * shared token; codes are single use (40029 on reuse).
   * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
   */
  code2Session(jsCode: string): Promise<Code2SessionWire> {
    return this.http.call<Code2SessionWire>({
      api: 'jscode2session',
      method: 'GET',
      path: '/sns/jscode2session',
      query: {
        appid: this.account.appId,
        secret: this.account.appSecret,
        js_code: jsCode,
        grant_type: 'authorization_code',
      },
    });
  }

  /**
   * getPhoneNumber button code → the user's verified phone number. `code` goes in the JSON body (47001 as query).
   * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html
   */
  async getUserPhoneNumber(code: string, openid?: string): Promise<PhoneNumber> {
    const wire = await this.http.call<{ phone_info: PhoneInfoWire }>({
      api: 'wxa/business/getuserphonenumber',
      method: 'POST',
      path: '/wxa/business/getuserphonenumber',
      body: { code, openid },
      token: this.accessToken,
    });
    const info = wire.phone_info;
    return {
      phoneNumber: info.phoneNumber,
      purePhoneNumber: info.purePhoneNumber,
      countryCode: String(info.countryCode),
      ...(info.watermark?.appid !== undefined ? { watermarkAppId: info.watermark.appid } : {}),
      ...(info.watermark?.timestamp !== undefined ? { watermarkTimestamp: info.watermark.timestamp } : {}),
    };
  }
}
