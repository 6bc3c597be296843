import { WxError } from '../../core/wx-error';
import { corpOf, type Endpoint } from '../../http/endpoint';
import { GroupChatStore, type GroupChat, type GroupMember } from '../../world/group-chats';
import type { WecomCorp } from '../../world/wecom-corp';
import { CONTACT_API, cursorKey, staffOrThrow } from './contact.api';
import { decodeCursor, encodeCursor } from './cursor';

/** groupchat/list cursors differ from the other WeCom cursors, so one is never taken for another (50100). */
const LIST_CURSOR = 0x6c15;
/** Without owner_filter the call covers the whole visible range, refused above this many people (81017). */
const UNFILTERED_MAX_PEOPLE = 1000;

/**
 * POST /cgi-bin/externalcontact/groupchat/list {status_filter, owner_filter:{userid_list}, cursor, limit}
 * (wechat-api-wecom-ops.md §1.1). `limit` is required and 1..1000: the doc page names no errcode for a bad one,
 * so this answers the global table's 40058 (invalid parameter), as for the other WeCom list-size rules; more than
 * 100 owners is 40058 too, an unknown owner 40003. Groups of resigned owners show only when owner_filter names
 * them; dismissed groups are gone. Pages in creation order; next_cursor is "" on the last page.
 * https://developer.work.weixin.qq.com/document/path/93414
 */
const list: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/groupchat/list',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    const b = call.body();
    const limit = b.limit;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new WxError(40058, 'invalid parameter: limit');
    const status = b.status_filter ?? 0;
    if (status !== 0 && status !== 1 && status !== 2 && status !== 3)
      throw new WxError(40058, 'invalid parameter: status_filter');
    const owners = ownerFilter(corp, b.owner_filter);
    if (!owners && corp.members.length > UNFILTERED_MAX_PEOPLE) throw new WxError(81017);
    const key = cursorKey(call) ^ LIST_CURSOR;
    let from = 0;
    if (typeof b.cursor === 'string' && b.cursor !== '') {
      const [last] = decodeCursor(key, b.cursor, 1);
      if (last! >= corp.groups.chats.length) throw new WxError(50100);
      from = last! + 1;
    } else if (b.cursor !== undefined && typeof b.cursor !== 'string') {
      throw new WxError(47001);
    }
    const matches = (g: GroupChat) =>
      !g.dismissed &&
      (owners ? owners.has(g.owner.userid) : !g.owner.left) &&
      (status === 0 || GroupChatStore.status(g) === status);
    const page: GroupChat[] = [];
    let i = from;
    for (; i < corp.groups.chats.length && page.length < limit; i++)
      if (matches(corp.groups.chats[i]!)) page.push(corp.groups.chats[i]!);
    let more = false;
    for (; i < corp.groups.chats.length && !more; i++) more = matches(corp.groups.chats[i]!);
    return {
      group_chat_list: page.map((g) => ({ chat_id: g.chatId, status: GroupChatStore.status(g) })),
      next_cursor: more ? encodeCursor(key, [page[page.length - 1]!.index]) : '',
    };
  },
};

function ownerFilter(corp: WecomCorp, filter: unknown): Set<string> | undefined {
  if (filter === undefined || filter === null) return undefined;
  const ids = (filter as { userid_list?: unknown }).userid_list;
  if (typeof filter !== 'object' || !Array.isArray(ids)) throw new WxError(40058, 'invalid parameter: owner_filter');
  if (ids.length > 100) throw new WxError(40058, 'invalid parameter: owner_filter.userid_list exceeds 100');
  return new Set(ids.map((id: unknown) => staffOrThrow(corp, id).userid));
}

/**
 * POST /cgi-bin/externalcontact/groupchat/get {chat_id, need_name} (wechat-api-wecom-ops.md §1.2). An unknown
 * chat_id answers 40050 "invalid group id", as a developer-community post quotes it for this endpoint
 * (https://developers.weixin.qq.com/community/personal/oCJUswy_U3myFapCgC1a9YZC4-I8/question); a dismissed group
 * 49008 from the global errcode table (群已经解散).
 * https://developer.work.weixin.qq.com/document/path/96338
 */
const get: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/groupchat/get',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    const b = call.body();
    const chat = corp.groups.byChatId(b.chat_id);
    if (!chat) throw new WxError(40050);
    if (chat.dismissed) throw new WxError(49008);
    const needName = b.need_name === 1;
    return {
      group_chat: {
        chat_id: chat.chatId,
        name: chat.name,
        owner: chat.owner.userid,
        create_time: chat.createTime,
        notice: chat.notice,
        member_list: chat.members.map((m) => memberView(corp, m, needName)),
        admin_list: chat.admins.map((s) => ({ userid: s.userid })),
        member_version: GroupChatStore.memberVersion(chat),
      },
    };
  },
};

/** unionid only for external WeChat users (wm…) of a corp bound to an open platform. */
function memberView(corp: WecomCorp, m: GroupMember, needName: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    userid: m.staff ? m.staff.userid : corp.externalUserid(m.slot),
    type: m.staff ? 1 : 2,
  };
  const op = corp.corp.openPlatform;
  if (!m.staff && op && corp.slotType.get(m.slot) === 1)
    out.unionid = op.unionCodec.encode(corp.slotPerson.get(m.slot));
  out.join_time = m.joinTime;
  out.join_scene = m.joinScene;
  if (m.invitor) out.invitor = { userid: m.invitor.userid };
  out.group_nickname = m.nickname;
  if (needName) out.name = m.staff ? m.staff.name : corp.customerName(m.slot);
  if (m.state) out.state = m.state;
  return out;
}

export const groupChatEndpoints: Endpoint[] = [list, get];
