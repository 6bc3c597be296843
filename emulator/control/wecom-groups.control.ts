import type Router from '@koa/router';
import { z } from 'zod';
import type { DeliveryRecord } from '../callbacks/delivery-log';
import type { EmulatorState } from '../state';
import { GroupChatStore, type GroupChat, type GroupMember } from '../world/group-chats';
import type { Staff, WecomCorp } from '../world/wecom-corp';
import { ControlError, notFound, queryInt, readBody } from './control-body';
import type { Notifier } from './notify';
import { corpOf } from './world-lookup';

/**
 * Customer groups of a WeCom corp: what people do in the client, and the groups as stored with the ground truth
 * behind each external member. With `notify: true` each change also sends the change_external_chat callback
 * WeChat sends for it (wechat-api-wecom-ops.md §2), after the change is visible to groupchat/get.
 *   POST  /wecom/:corpId/groups {owner, name?, notice?, members?, joinScene?, notify?}          → create
 *   PATCH /wecom/:corpId/groups/:chatId {name?, notice?, owner?, notify?}   → update change_name / change_notice / change_owner
 *   POST  /wecom/:corpId/groups/:chatId/members {members, joinScene?, invitor?, state?, notify?}   → update add_member
 *   POST  /wecom/:corpId/groups/:chatId/members/remove {members, quitScene?, notify?}              → update del_member
 *   POST  /wecom/:corpId/groups/:chatId/dismiss {notify?}                                          → dismiss
 *   GET   /state/wecom/:corpId/groups?from=&limit=   (dismissed ones included)
 *   GET   /state/wecom/:corpId/groups/:chatId        (members with personId, and whether they are a contact)
 * A member is `{userid}` (staff), `{externalUserId}`, `{personId, type?}` (a person, who gets an external_userid
 * of the corp if they had none) or `{stranger: 1 | 2}` (a new WeChat or WeCom user).
 */
const GROUP_MAX = 2000;
const memberSpec = z.union([
  z.object({ userid: z.string().min(1) }).strict(),
  z.object({ externalUserId: z.string().min(1) }).strict(),
  z.object({ personId: z.number().int().min(0), type: z.union([z.literal(1), z.literal(2)]).default(1) }).strict(),
  z.object({ stranger: z.union([z.literal(1), z.literal(2)]) }).strict(),
]);
type MemberSpec = z.output<typeof memberSpec>;
const joinScene = z.union([z.literal(1), z.literal(2), z.literal(3)]).default(1);

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
  return {
    ...groupSummary(chat),
    notice: chat.notice,
    admins: chat.admins.map((s) => s.userid),
    members: chat.members.map((m) => groupMemberView(corp, m)),
  };
}

export function groupStateRoutes(router: Router, state: EmulatorState): void {
  router.get('/state/wecom/:corpId/groups', (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const from = queryInt(ctx, 'from', 0);
    const limit = queryInt(ctx, 'limit', 1000, 10_000);
    ctx.body = {
      groups: corp.groups.chats.slice(from, from + limit).map(groupSummary),
      total: corp.groups.chats.length,
    };
  });

  router.get('/state/wecom/:corpId/groups/:chatId', (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    ctx.body = groupView(corp, chatOf(corp, ctx.params.chatId!));
  });
}

function live(chat: GroupChat): GroupChat {
  if (chat.dismissed) throw new ControlError(409, 'GROUP_DISMISSED', `group ${chat.chatId} is dismissed`);
  return chat;
}

function ownerOf(corp: WecomCorp, userid: string): Staff {
  const s = corp.staffByUserid.get(userid);
  if (!s) throw notFound('userid', userid);
  if (s.left || !s.contactFeature)
    throw new ControlError(
      409,
      'NOT_AN_OWNER',
      `${userid} cannot own customer groups (left, or no customer-contact feature)`,
    );
  return s;
}

/** The staff member or customer slot a member spec names, creating a slot (and a person) where needed. */
function resolveMember(state: EmulatorState, corp: WecomCorp, spec: MemberSpec): { staff?: Staff; slot: number } {
  if ('userid' in spec) {
    const s = corp.staffByUserid.get(spec.userid);
    if (!s) throw notFound('userid', spec.userid);
    return { staff: s, slot: -1 };
  }
  if ('externalUserId' in spec) {
    const slot = corp.slotOf(spec.externalUserId);
    if (slot < 0) throw notFound('external_userid', spec.externalUserId);
    return { slot };
  }
  if ('personId' in spec) {
    if (!state.world.persons.exists(spec.personId)) throw notFound('person', String(spec.personId));
    const slot = corp.personSlot.get(spec.personId);
    return { slot: slot >= 0 ? slot : corp.addCustomer(spec.personId, spec.type) };
  }
  return { slot: corp.addCustomer(state.world.addPerson(), spec.stranger) };
}

function memberId(corp: WecomCorp, m: { staff?: Staff; slot: number }): string {
  return m.staff ? m.staff.userid : corp.externalUserid(m.slot);
}

/** Adds members: 409 (nobody joins) for one already in the group or a group that would exceed 2000. */
function addMembers(
  state: EmulatorState,
  corp: WecomCorp,
  chat: GroupChat,
  specs: MemberSpec[],
  how: { joinScene: 1 | 2 | 3; invitor: Staff | undefined; state: string },
): GroupMember[] {
  const resolved = specs.map((spec) => resolveMember(state, corp, spec));
  const ids = resolved.map((m) => memberId(corp, m));
  const dup = ids.find((id, i) => ids.indexOf(id) !== i || GroupChatStore.memberOf(chat, resolved[i]!));
  if (dup) throw new ControlError(409, 'ALREADY_MEMBER', `${dup} is already in group ${chat.chatId}`);
  if (chat.members.length + resolved.length > GROUP_MAX)
    throw new ControlError(409, 'GROUP_FULL', `a customer group holds at most ${GROUP_MAX} members`);
  const now = state.now();
  const added = resolved.map((m): GroupMember => ({
    staff: m.staff,
    slot: m.slot,
    joinTime: now,
    joinScene: how.joinScene,
    invitor: how.joinScene === 3 ? undefined : how.invitor,
    nickname: '',
    state: how.state,
  }));
  chat.members.push(...added);
  return added;
}

function withDelivery(
  body: Record<string, unknown>,
  deliveries: DeliveryRecord[],
  notify: boolean,
): Record<string, unknown> {
  if (!notify) return body;
  return deliveries.length === 1 ? { ...body, delivery: deliveries[0] } : { ...body, deliveries };
}

export function groupRoutes(router: Router, state: EmulatorState, notifier: Notifier): void {
  router.post('/wecom/:corpId/groups', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const b = await readBody(
      ctx,
      z.object({
        owner: z.string().min(1),
        name: z.string().max(100).default(''),
        notice: z.string().max(1000).default(''),
        members: z
          .array(memberSpec)
          .max(GROUP_MAX - 1)
          .default([]),
        joinScene,
        admins: z.array(z.string()).max(3).default([]),
        notify: z.boolean().default(false),
      }),
    );
    const owner = ownerOf(corp, b.owner);
    const now = state.now();
    const chat = corp.groups.create({ name: b.name, owner, createTime: now, notice: b.notice });
    chat.members.push({
      staff: owner,
      slot: -1,
      joinTime: now,
      joinScene: 1,
      invitor: undefined,
      nickname: '',
      state: '',
    });
    addMembers(state, corp, chat, b.members, { joinScene: b.joinScene, invitor: owner, state: '' });
    for (const userid of b.admins) {
      const s = corp.staffByUserid.get(userid);
      if (!s || !GroupChatStore.memberOf(chat, { staff: s }))
        throw new ControlError(409, 'NOT_A_MEMBER', `admin ${userid} is not in the group`);
      chat.admins.push(s);
    }
    const deliveries = b.notify
      ? [await notifier.externalChat(corp.corp.corpId, { changeType: 'create', chatId: chat.chatId })]
      : [];
    ctx.body = withDelivery(groupView(corp, chat), deliveries, b.notify);
  });

  router.patch('/wecom/:corpId/groups/:chatId', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const chat = live(chatOf(corp, ctx.params.chatId!));
    const b = await readBody(
      ctx,
      z.object({
        name: z.string().max(100).optional(),
        notice: z.string().max(1000).optional(),
        owner: z.string().min(1).optional(),
        notify: z.boolean().default(false),
      }),
    );
    const changes: ('change_name' | 'change_notice' | 'change_owner')[] = [];
    if (b.owner !== undefined && b.owner !== chat.owner.userid) {
      const owner = ownerOf(corp, b.owner);
      if (!GroupChatStore.memberOf(chat, { staff: owner }))
        throw new ControlError(409, 'NOT_A_MEMBER', `${b.owner} is not in the group`);
      chat.owner = owner;
      chat.admins = chat.admins.filter((s) => s !== owner);
      changes.push('change_owner');
    }
    if (b.name !== undefined && b.name !== chat.name) {
      chat.name = b.name;
      changes.push('change_name');
    }
    if (b.notice !== undefined && b.notice !== chat.notice) {
      chat.notice = b.notice;
      changes.push('change_notice');
    }
    const deliveries: DeliveryRecord[] = [];
    if (b.notify)
      for (const updateDetail of changes)
        deliveries.push(
          await notifier.externalChat(corp.corp.corpId, { changeType: 'update', chatId: chat.chatId, updateDetail }),
        );
    ctx.body = { ...groupView(corp, chat), changes, ...(b.notify ? { deliveries } : {}) };
  });

  router.post('/wecom/:corpId/groups/:chatId/members', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const chat = live(chatOf(corp, ctx.params.chatId!));
    const b = await readBody(
      ctx,
      z.object({
        members: z.array(memberSpec).min(1).max(GROUP_MAX),
        joinScene,
        invitor: z.string().optional(),
        state: z.string().max(30).default(''),
        notify: z.boolean().default(false),
      }),
    );
    let invitor: Staff | undefined = chat.owner;
    if (b.invitor !== undefined) {
      invitor = corp.staffByUserid.get(b.invitor);
      if (!invitor || !GroupChatStore.memberOf(chat, { staff: invitor }))
        throw new ControlError(409, 'NOT_A_MEMBER', `invitor ${b.invitor} is not in the group`);
    }
    const last = GroupChatStore.memberVersion(chat);
    const added = addMembers(state, corp, chat, b.members, {
      joinScene: b.joinScene,
      invitor,
      state: b.joinScene === 3 ? b.state : '',
    });
    chat.version++;
    const ids = added.map((m) => memberId(corp, m));
    const deliveries = b.notify
      ? [
          await notifier.externalChat(corp.corp.corpId, {
            changeType: 'update',
            chatId: chat.chatId,
            updateDetail: 'add_member',
            // The callback's own enum: invited (directly or by link) 0, group QR code 3.
            joinScene: b.joinScene === 3 ? 3 : 0,
            members: ids,
            lastMemVer: last,
            curMemVer: GroupChatStore.memberVersion(chat),
          }),
        ]
      : [];
    ctx.body = withDelivery(
      {
        chatId: chat.chatId,
        added: added.map((m) => groupMemberView(corp, m)),
        memberVersion: GroupChatStore.memberVersion(chat),
      },
      deliveries,
      b.notify,
    );
  });

  router.post('/wecom/:corpId/groups/:chatId/members/remove', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const chat = live(chatOf(corp, ctx.params.chatId!));
    const b = await readBody(
      ctx,
      z.object({
        members: z.array(z.string().min(1)).min(1).max(GROUP_MAX),
        quitScene: z.union([z.literal(0), z.literal(1)]).default(0),
        notify: z.boolean().default(false),
      }),
    );
    const gone = b.members.map((id) => {
      const m = chat.members.find((x) => memberId(corp, x) === id);
      if (!m) throw new ControlError(409, 'NOT_A_MEMBER', `${id} is not in group ${chat.chatId}`);
      if (m.staff === chat.owner)
        throw new ControlError(
          409,
          'OWNER_CANNOT_LEAVE',
          'the owner leaves only by handing the group over or dismissing it',
        );
      return m;
    });
    const last = GroupChatStore.memberVersion(chat);
    const removed = new Set(gone);
    chat.members = chat.members.filter((m) => !removed.has(m));
    chat.admins = chat.admins.filter((s) => chat.members.some((m) => m.staff === s));
    chat.version++;
    const ids = [...removed].map((m) => memberId(corp, m));
    const deliveries = b.notify
      ? [
          await notifier.externalChat(corp.corp.corpId, {
            changeType: 'update',
            chatId: chat.chatId,
            updateDetail: 'del_member',
            quitScene: b.quitScene,
            members: ids,
            lastMemVer: last,
            curMemVer: GroupChatStore.memberVersion(chat),
          }),
        ]
      : [];
    ctx.body = withDelivery(
      { chatId: chat.chatId, removed: ids, memberVersion: GroupChatStore.memberVersion(chat) },
      deliveries,
      b.notify,
    );
  });

  router.post('/wecom/:corpId/groups/:chatId/dismiss', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const chat = live(chatOf(corp, ctx.params.chatId!));
    const b = await readBody(ctx, z.object({ notify: z.boolean().default(false) }));
    chat.dismissed = true;
    const deliveries = b.notify
      ? [await notifier.externalChat(corp.corp.corpId, { changeType: 'dismiss', chatId: chat.chatId })]
      : [];
    ctx.body = withDelivery({ chatId: chat.chatId, dismissed: true }, deliveries, b.notify);
  });
}
