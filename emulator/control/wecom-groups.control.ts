import type Router from '@koa/router';
import type { EmulatorState } from '../state';
import { GroupChatStore, type GroupChat, type GroupMember } from '../world/group-chats';
import type { WecomCorp } from '../world/wecom-corp';
import { notFound, queryInt } from './control-body';

/**
 * Customer groups of a WeCom corp as stored, with the ground truth behind each external member:
 *   GET /state/wecom/:corpId/groups?from=&limit=   (dismissed ones included)
 *   GET /state/wecom/:corpId/groups/:chatId        (members with personId, and whether they are a contact)
 */
export function corpOf(state: EmulatorState, corpId: string): WecomCorp {
  const corp = state.world.corp(corpId);
  if (!corp) throw notFound('corp', corpId);
  return corp;
}

export function chatOf(corp: WecomCorp, chatId: string): GroupChat {
  const chat = corp.groups.byChatId(chatId);
  if (!chat) throw notFound('group chat', chatId);
  return chat;
}

function groupSummary(chat: GroupChat): Record<string, unknown> {
  return {
    chatId: chat.chatId,
    name: chat.name,
    owner: chat.owner.userid,
    status: GroupChatStore.status(chat),
    dismissed: chat.dismissed,
    createTime: chat.createTime,
    memberCount: chat.members.length,
    memberVersion: GroupChatStore.memberVersion(chat),
  };
}

export function groupMemberView(corp: WecomCorp, m: GroupMember): Record<string, unknown> {
  if (m.staff) return { type: 1, userid: m.staff.userid, joinTime: m.joinTime, joinScene: m.joinScene };
  return {
    type: 2,
    userid: corp.externalUserid(m.slot),
    personId: corp.slotPerson.get(m.slot),
    contact: corp.relationsBySlot[m.slot]!.length > 0,
    wechatUser: corp.slotType.get(m.slot) === 1,
    joinTime: m.joinTime,
    joinScene: m.joinScene,
    invitor: m.invitor?.userid ?? null,
  };
}

export function groupView(corp: WecomCorp, chat: GroupChat): Record<string, unknown> {
  return { ...groupSummary(chat), notice: chat.notice, admins: chat.admins.map((s) => s.userid), members: chat.members.map((m) => groupMemberView(corp, m)) };
}

export function groupStateRoutes(router: Router, state: EmulatorState): void {
  router.get('/state/wecom/:corpId/groups', (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const from = queryInt(ctx, 'from', 0);
    const limit = queryInt(ctx, 'limit', 1000, 10_000);
    ctx.body = { groups: corp.groups.chats.slice(from, from + limit).map(groupSummary), total: corp.groups.chats.length };
  });

  router.get('/state/wecom/:corpId/groups/:chatId', (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    ctx.body = groupView(corp, chatOf(corp, ctx.params.chatId!));
  });
}
