import type { TokenSource } from '../../common/http/token-source';
import { refusedRequest } from '../../common/http/wechat-api-error';
import type { WechatHttpClient } from '../../common/http/wechat-http-client';
import type { FollowerPage, FollowerPageWire, UserInfoWire, UserLang } from '../client-types';

/** batchget accepts at most 100 openids (wechat-api.md §2.3; 40032 beyond). */
export const BATCHGET_MAX = 100;

export class OaUsersApi {
  constructor(
    private readonly http: WechatHttpClient,
    private readonly token: TokenSource,
  ) {}

  /**
   * One page (≤ 10,000) of followers after `nextOpenid` ('' = from the start).
   * https://developers.weixin.qq.com/doc/offiaccount/User_Management/Getting_a_User_List.html
   */
  async getFollowers(nextOpenid = ''): Promise<FollowerPage> {
    const wire = await this.http.call<FollowerPageWire>({
      api: 'user/get',
      method: 'GET',
      path: '/cgi-bin/user/get',
      query: { next_openid: nextOpenid || undefined },
      token: this.token,
    });
    const openids = wire.data?.openid ?? [];
    // The list ends on count 0 or an empty next_openid (§2.1: both endings happen).
    return {
      total: wire.total,
      openids,
      nextOpenid: wire.count > 0 && openids.length > 0 ? (wire.next_openid ?? '') : '',
    };
  }

  /** Walks user/get from `startAfter` to the end; each page carries the cursor to checkpoint after it. */
  async *walkFollowers(startAfter = ''): AsyncGenerator<FollowerPage> {
    let cursor = startAfter;
    for (;;) {
      const page = await this.getFollowers(cursor);
      if (page.openids.length > 0) yield page;
      if (!page.nextOpenid || page.nextOpenid === cursor) return;
      cursor = page.nextOpenid;
    }
  }

  /**
   * https://developers.weixin.qq.com/doc/offiaccount/User_Management/Get_users_basic_information_UnionID.html#UinonId
   */
  getUserInfo(openid: string, lang: UserLang = 'zh_CN'): Promise<UserInfoWire> {
    return this.http.call<UserInfoWire>({
      api: 'user/info',
      method: 'GET',
      path: '/cgi-bin/user/info',
      query: { openid, lang },
      token: this.token,
    });
  }

  /**
   * 1–100 openids per call; checked here so a caller's bug never spends quota.
   * https://developers.weixin.qq.com/doc/offiaccount/User_Management/Get_users_basic_information_UnionID.html#UinonId
   */
  async batchGetUserInfo(openids: readonly string[], lang: UserLang = 'zh_CN'): Promise<UserInfoWire[]> {
    if (openids.length === 0 || openids.length > BATCHGET_MAX) {
      throw refusedRequest('user/info/batchget', 40032, `openid list size ${openids.length} not in 1..${BATCHGET_MAX}`);
    }
    const wire = await this.http.call<{ user_info_list?: UserInfoWire[] }>({
      api: 'user/info/batchget',
      method: 'POST',
      path: '/cgi-bin/user/info/batchget',
      body: { user_list: openids.map((openid) => ({ openid, lang })) },
      token: this.token,
    });
    return wire.user_info_list ?? [];
  }

  /** Any number of openids, in calls of 100, results in input order. */
  async batchGetUserInfoAll(openids: readonly string[], lang: UserLang = 'zh_CN'): Promise<UserInfoWire[]> {
    const out: UserInfoWire[] = [];
    for (let i = 0; i < openids.length; i += BATCHGET_MAX) {
      out.push(...(await this.batchGetUserInfo(openids.slice(i, i + BATCHGET_MAX), lang)));
    }
    return out;
  }
}
