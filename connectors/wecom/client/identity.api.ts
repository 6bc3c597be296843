import type { TokenSource } from '../../common/http/token-source';
import type { WechatHttpClient } from '../../common/http/wechat-http-client';
import type { UnionidConversionWire, WecomOauthUserWire } from '../client-types';

/** Who a visitor is: WeCom OAuth code exchange and unionid → external_userid conversion (wechat-api.md §5.8, §5.11). */
export class WecomIdentityApi {
  constructor(
    private readonly http: WechatHttpClient,
    private readonly contactToken: TokenSource,
    private readonly agentToken: () => TokenSource,
  ) {}

  /**
   * OAuth code (single use, 5 min) → member userid or visitor openid/external_userid; needs the app's token.
   * https://developer.work.weixin.qq.com/document/path/91023
   */
  async getUserInfoByCode(code: string): Promise<WecomOauthUserWire> {
    const wire = await this.http.call<WecomOauthUserWire>({
      api: 'auth/getuserinfo',
      method: 'GET',
      path: '/cgi-bin/auth/getuserinfo',
      query: { code },
      token: this.agentToken(),
    });
    return pick(wire, ['userid', 'user_ticket', 'openid', 'external_userid']);
  }

  /**
   * An MP's unionid+openid → this corp's external_userid, or a pending_id (90 days) when not yet a customer.
   * https://developer.work.weixin.qq.com/document/path/95900
   */
  async unionidToExternalUserid(
    unionid: string,
    openid: string,
    subjectType: 0 | 1 = 0,
  ): Promise<UnionidConversionWire> {
    const wire = await this.http.call<UnionidConversionWire>({
      api: 'idconvert/unionid_to_external_userid',
      method: 'POST',
      path: '/cgi-bin/idconvert/unionid_to_external_userid',
      body: { unionid, openid, subject_type: subjectType },
      token: this.contactToken,
    });
    return pick(wire, ['external_userid', 'pending_id']);
  }
}

/** The documented fields only (no errcode/errmsg envelope), absent ones left out. */
function pick<T extends object, K extends keyof T>(wire: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (wire[k] !== undefined) out[k] = wire[k];
  return out;
}
