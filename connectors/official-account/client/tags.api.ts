import type { TokenSource } from '../../common/http/token-source';
import { refusedRequest } from '../../common/http/wechat-api-error';
import type { WechatHttpClient } from '../../common/http/wechat-http-client';
import type { OaTagWire, TagFansPageWire } from '../client-types';

/** batchtagging / batchuntagging take at most 50 openids (wechat-api.md §3; 40032 beyond). */
export const TAG_BATCH_MAX = 50;

type Ok = { errcode?: number; errmsg?: string };

/**
 * OA user tags (wechat-api.md §3), all JSON bodies.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html
 */
export class OaTagsApi {
  constructor(
    private readonly http: WechatHttpClient,
    private readonly token: TokenSource,
  ) {}

  /** https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html#2 */
  async getTags(): Promise<OaTagWire[]> {
    const wire = await this.http.call<{ tags?: OaTagWire[] }>({
      api: 'tags/get',
      method: 'GET',
      path: '/cgi-bin/tags/get',
      token: this.token,
    });
    return wire.tags ?? [];
  }

  /** https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html#1 */
  async createTag(name: string): Promise<OaTagWire> {
    const wire = await this.http.call<{ tag: OaTagWire }>({
      api: 'tags/create',
      method: 'POST',
      path: '/cgi-bin/tags/create',
      body: { tag: { name } },
      token: this.token,
    });
    return wire.tag;
  }

  /** https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html#3 */
  async updateTag(id: number, name: string): Promise<void> {
    await this.http.call<Ok>({
      api: 'tags/update',
      method: 'POST',
      path: '/cgi-bin/tags/update',
      body: { tag: { id, name } },
      token: this.token,
    });
  }

  /** https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html#4 (> 100,000 fans: 45057) */
  async deleteTag(id: number): Promise<void> {
    await this.http.call<Ok>({
      api: 'tags/delete',
      method: 'POST',
      path: '/cgi-bin/tags/delete',
      body: { tag: { id } },
      token: this.token,
    });
  }

  /** https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html#6 (≤ 50 openids) */
  batchTagging(openids: readonly string[], tagId: number): Promise<void> {
    return this.members('tags/members/batchtagging', openids, tagId);
  }

  /** https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html#7 (≤ 50 openids) */
  batchUntagging(openids: readonly string[], tagId: number): Promise<void> {
    return this.members('tags/members/batchuntagging', openids, tagId);
  }

  /** https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html#8 */
  async getTagIdsOfUser(openid: string): Promise<number[]> {
    const wire = await this.http.call<{ tagid_list?: number[] }>({
      api: 'tags/getidlist',
      method: 'POST',
      path: '/cgi-bin/tags/getidlist',
      body: { openid },
      token: this.token,
    });
    return wire.tagid_list ?? [];
  }

  /**
   * Fans of a tag, one page after `nextOpenid`; '' as nextOpenid marks the end (count 0 or empty cursor).
   * https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html#5
   */
  async getTagFans(tagId: number, nextOpenid = ''): Promise<{ openids: string[]; nextOpenid: string }> {
    // POST although an old doc header says GET (wechat-api.md §3).
    const wire = await this.http.call<TagFansPageWire>({
      api: 'user/tag/get',
      method: 'POST',
      path: '/cgi-bin/user/tag/get',
      body: { tagid: tagId, next_openid: nextOpenid },
      token: this.token,
    });
    const openids = wire.data?.openid ?? [];
    return { openids, nextOpenid: wire.count > 0 && openids.length > 0 ? (wire.next_openid ?? '') : '' };
  }

  async *walkTagFans(tagId: number, startAfter = ''): AsyncGenerator<{ openids: string[]; nextOpenid: string }> {
    let cursor = startAfter;
    for (;;) {
      const page = await this.getTagFans(tagId, cursor);
      if (page.openids.length > 0) yield page;
      if (!page.nextOpenid || page.nextOpenid === cursor) return;
      cursor = page.nextOpenid;
    }
  }

  private async members(api: string, openids: readonly string[], tagId: number): Promise<void> {
    if (openids.length === 0 || openids.length > TAG_BATCH_MAX) {
      throw refusedRequest(api, 40032, `openid list size ${openids.length} not in 1..${TAG_BATCH_MAX}`);
    }
    await this.http.call<Ok>({
      api,
      method: 'POST',
      path: `/cgi-bin/${api}`,
      body: { openid_list: openids, tagid: tagId },
      token: this.token,
    });
  }
}
