import type { TokenSource } from '../../common/http/token-source';
import { refusedRequest } from '../../common/http/wechat-api-error';
import type { WechatHttpClient } from '../../common/http/wechat-http-client';
import type {
  ByUserPage,
  ExternalContactDetail,
  ExternalContactWire,
  FollowUserWire,
  RemarkRequest,
} from '../client-types';

/** batch/get_by_user: ≤ 100 members per call and ≤ 100 relations per page (wechat-api.md §5.4). */
export const BY_USER_MAX_USERIDS = 100;
export const BY_USER_MAX_LIMIT = 100;

type Ok = { errcode?: number; errmsg?: string };

/** External contacts and follow relations (wechat-api.md §5.1–§5.4, §5.7), with the contact-secret token. */
export class WecomContactsApi {
  constructor(
    private readonly http: WechatHttpClient,
    private readonly token: TokenSource,
  ) {}

  /** https://developer.work.weixin.qq.com/document/path/92571 */
  async getFollowUserList(): Promise<string[]> {
    const wire = await this.http.call<{ follow_user?: string[] }>({
      api: 'externalcontact/get_follow_user_list',
      method: 'GET',
      path: '/cgi-bin/externalcontact/get_follow_user_list',
      token: this.token,
    });
    return wire.follow_user ?? [];
  }

  /** All customers of one member, unpaged. https://developer.work.weixin.qq.com/document/path/92113 */
  async listExternalContacts(userid: string): Promise<string[]> {
    const wire = await this.http.call<{ external_userid?: string[] }>({
      api: 'externalcontact/list',
      method: 'GET',
      path: '/cgi-bin/externalcontact/list',
      query: { userid },
      token: this.token,
    });
    return wire.external_userid ?? [];
  }

  /** One page of (member, customer) relations. https://developer.work.weixin.qq.com/document/path/93010 */
  async batchGetByUser(userids: readonly string[], cursor = '', limit = BY_USER_MAX_LIMIT): Promise<ByUserPage> {
    if (userids.length === 0 || userids.length > BY_USER_MAX_USERIDS) {
      throw refusedRequest(
        'externalcontact/batch/get_by_user',
        40058,
        `userid_list size ${userids.length} not in 1..${BY_USER_MAX_USERIDS}`,
      );
    }
    const wire = await this.http.call<{ external_contact_list?: ByUserPage['items']; next_cursor?: string }>({
      api: 'externalcontact/batch/get_by_user',
      method: 'POST',
      path: '/cgi-bin/externalcontact/batch/get_by_user',
      body: { userid_list: userids, cursor, limit: Math.min(Math.max(1, limit), BY_USER_MAX_LIMIT) },
      token: this.token,
    });
    return { items: wire.external_contact_list ?? [], nextCursor: wire.next_cursor ?? '' };
  }

  /** Walks batch/get_by_user from `cursor` to the end; each page carries the cursor to checkpoint after it. */
  async *walkByUser(userids: readonly string[], cursor = '', limit = BY_USER_MAX_LIMIT): AsyncGenerator<ByUserPage> {
    let next = cursor;
    for (;;) {
      const page = await this.batchGetByUser(userids, next, limit);
      yield page;
      if (!page.nextCursor || page.nextCursor === next) return;
      next = page.nextCursor;
    }
  }

  /** One response: the customer and ≤ 500 follow_user entries. https://developer.work.weixin.qq.com/document/path/92114 */
  async getExternalContactPage(
    externalUserid: string,
    cursor = '',
  ): Promise<ExternalContactDetail & { nextCursor: string }> {
    const wire = await this.http.call<{
      external_contact: ExternalContactWire;
      follow_user?: FollowUserWire[];
      next_cursor?: string;
    }>({
      api: 'externalcontact/get',
      method: 'GET',
      path: '/cgi-bin/externalcontact/get',
      query: { external_userid: externalUserid, cursor: cursor || undefined },
      token: this.token,
    });
    return {
      external_contact: wire.external_contact,
      follow_user: wire.follow_user ?? [],
      nextCursor: wire.next_cursor ?? '',
    };
  }

  /** The customer with every follow relation, following next_cursor past 500 followers. */
  async getExternalContact(externalUserid: string): Promise<ExternalContactDetail> {
    const first = await this.getExternalContactPage(externalUserid);
    const followUser = [...first.follow_user];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await this.getExternalContactPage(externalUserid, cursor);
      followUser.push(...page.follow_user);
      cursor = page.nextCursor === cursor ? '' : page.nextCursor;
    }
    return { external_contact: first.external_contact, follow_user: followUser };
  }

  /** https://developer.work.weixin.qq.com/document/path/92115 */
  async remark(req: RemarkRequest): Promise<void> {
    await this.http.call<Ok>({
      api: 'externalcontact/remark',
      method: 'POST',
      path: '/cgi-bin/externalcontact/remark',
      body: {
        userid: req.userid,
        external_userid: req.externalUserid,
        remark: req.remark,
        description: req.description,
        remark_company: req.remarkCompany,
        remark_mobiles: req.remarkMobiles,
        remark_pic_mediaid: req.remarkPicMediaid,
      },
      token: this.token,
    });
  }
}
