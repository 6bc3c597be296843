import type { TokenSource } from '../../common/http/token-source';
import { refusedRequest } from '../../common/http/wechat-api-error';
import type { WechatHttpClient } from '../../common/http/wechat-http-client';
import type { GroupChatListPage, GroupChatListRequest, GroupChatWire } from '../client-types';

/** groupchat/list takes 1..1000 groups per page and ≤ 100 owners (wechat-api-wecom-ops.md §1.1). */
export const GROUP_LIST_MAX_LIMIT = 1000;
export const GROUP_LIST_MAX_OWNERS = 100;

/** Customer groups (客户群) with the contact-secret token (DESIGN §10.1). */
export class WecomGroupsApi {
  constructor(
    private readonly http: WechatHttpClient,
    private readonly token: TokenSource,
  ) {}

  /**
   * One page of groups. Bad limits and owner lists are refused before calling WeCom, which answers 40058 too.
   * https://developer.work.weixin.qq.com/document/path/93414
   */
  async listGroupChats(req: GroupChatListRequest = {}): Promise<GroupChatListPage> {
    const api = 'externalcontact/groupchat/list';
    const limit = req.limit ?? GROUP_LIST_MAX_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > GROUP_LIST_MAX_LIMIT)
      throw refusedRequest(api, 40058, `limit ${limit} not in 1..${GROUP_LIST_MAX_LIMIT}`);
    const owners = req.ownerUserids;
    if (owners && (owners.length === 0 || owners.length > GROUP_LIST_MAX_OWNERS))
      throw refusedRequest(api, 40058, `owner_filter size ${owners.length} not in 1..${GROUP_LIST_MAX_OWNERS}`);
    const wire = await this.http.call<{ group_chat_list?: GroupChatListPage['items']; next_cursor?: string }>({
      api,
      method: 'POST',
      path: '/cgi-bin/externalcontact/groupchat/list',
      body: {
        status_filter: req.statusFilter ?? 0,
        ...(owners ? { owner_filter: { userid_list: owners } } : {}),
        ...(req.cursor ? { cursor: req.cursor } : {}),
        limit,
      },
      token: this.token,
    });
    return { items: wire.group_chat_list ?? [], nextCursor: wire.next_cursor ?? '' };
  }

  /** Walks groupchat/list from `req.cursor` to the end; each page carries the cursor to checkpoint after it. */
  async *walkGroupChats(req: GroupChatListRequest = {}): AsyncGenerator<GroupChatListPage> {
    let next = req.cursor ?? '';
    for (;;) {
      const page = await this.listGroupChats({ ...req, cursor: next });
      yield page;
      if (!page.nextCursor || page.nextCursor === next) return;
      next = page.nextCursor;
    }
  }

  /**
   * One group with its members; `needName` (default on, as the sync reads it) adds every member's name.
   * Unknown chat → 40050, dismissed → 49008 (both NOT_FOUND).
   * https://developer.work.weixin.qq.com/document/path/96338
   */
  async getGroupChat(chatId: string, needName = true): Promise<GroupChatWire> {
    const wire = await this.http.call<{ group_chat: GroupChatWire }>({
      api: 'externalcontact/groupchat/get',
      method: 'POST',
      path: '/cgi-bin/externalcontact/groupchat/get',
      body: { chat_id: chatId, need_name: needName ? 1 : 0 },
      token: this.token,
    });
    return wire.group_chat;
  }
}
