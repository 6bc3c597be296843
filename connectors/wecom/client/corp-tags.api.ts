import type { TokenSource } from '../../common/http/token-source';
import type { WechatHttpClient } from '../../common/http/wechat-http-client';
import type { AddCorpTagRequest, CorpTagGroupWire } from '../client-types';

type Ok = { errcode?: number; errmsg?: string };

/** Corp tag library and relation tags (wechat-api.md §5.5, §5.6), with the contact-secret token. */
export class WecomCorpTagsApi {
  constructor(
    private readonly http: WechatHttpClient,
    private readonly token: TokenSource,
  ) {}

  /**
   * Both filters empty = the whole library; `deleted` only appears when querying by id.
   * https://developer.work.weixin.qq.com/document/path/92117
   */
  async getCorpTagList(filter: { tagIds?: string[]; groupIds?: string[] } = {}): Promise<CorpTagGroupWire[]> {
    const wire = await this.http.call<{ tag_group?: CorpTagGroupWire[] }>({
      api: 'externalcontact/get_corp_tag_list',
      method: 'POST',
      path: '/cgi-bin/externalcontact/get_corp_tag_list',
      body: { tag_id: filter.tagIds ?? [], group_id: filter.groupIds ?? [] },
      token: this.token,
    });
    return wire.tag_group ?? [];
  }

  /**
   * Without groupId a group named groupName is created, or the tags join the existing group of that name.
   * https://developer.work.weixin.qq.com/document/path/92117#添加企业客户标签
   */
  async addCorpTag(req: AddCorpTagRequest): Promise<CorpTagGroupWire> {
    const wire = await this.http.call<{ tag_group: CorpTagGroupWire }>({
      api: 'externalcontact/add_corp_tag',
      method: 'POST',
      path: '/cgi-bin/externalcontact/add_corp_tag',
      body: { group_id: req.groupId, group_name: req.groupName, order: req.order, tag: req.tags, agentid: req.agentId },
      token: this.token,
    });
    return wire.tag_group;
  }

  /** https://developer.work.weixin.qq.com/document/path/92117#编辑企业客户标签 */
  async editCorpTag(id: string, change: { name?: string; order?: number; agentId?: number }): Promise<void> {
    await this.http.call<Ok>({
      api: 'externalcontact/edit_corp_tag',
      method: 'POST',
      path: '/cgi-bin/externalcontact/edit_corp_tag',
      body: { id, name: change.name, order: change.order, agentid: change.agentId },
      token: this.token,
    });
  }

  /** Deleting the last tag of a group deletes the group. https://developer.work.weixin.qq.com/document/path/92117#删除企业客户标签 */
  async delCorpTag(ids: { tagIds?: string[]; groupIds?: string[]; agentId?: number }): Promise<void> {
    await this.http.call<Ok>({
      api: 'externalcontact/del_corp_tag',
      method: 'POST',
      path: '/cgi-bin/externalcontact/del_corp_tag',
      body: { tag_id: ids.tagIds ?? [], group_id: ids.groupIds ?? [], agentid: ids.agentId },
      token: this.token,
    });
  }

  /** Adds and removes corp tags on one (member, customer) relation in one call. https://developer.work.weixin.qq.com/document/path/92118 */
  async markTag(req: {
    userid: string;
    externalUserid: string;
    addTag?: string[];
    removeTag?: string[];
  }): Promise<void> {
    await this.http.call<Ok>({
      api: 'externalcontact/mark_tag',
      method: 'POST',
      path: '/cgi-bin/externalcontact/mark_tag',
      body: {
        userid: req.userid,
        external_userid: req.externalUserid,
        add_tag: req.addTag ?? [],
        remove_tag: req.removeTag ?? [],
      },
      token: this.token,
    });
  }
}
