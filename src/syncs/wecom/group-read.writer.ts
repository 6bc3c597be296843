import type { IdentityRef } from '../../../connectors/common/identity-types';
import { isWechatApiError } from '../../../connectors/common/http/wechat-api-error';
import type { WecomClient } from '../../../connectors/wecom/client';
import type { GroupChatWire } from '../../../connectors/wecom/client-types';
import type { WecomAccount } from '../../../config';
import type { Db } from '../../storage';
import { writeGroupTimeline } from '../../events/group-timeline.writer';
import { markGroupDismissed, saveGroupReads, type GroupMemberWrite } from '../../storage/groups/wecom-group.repository';
import type { BulkIdentityResolver, BulkObservation } from '../identity/bulk-resolver';

/** groupchat/get, or undefined when WeCom no longer has the group (40050 / 49008: dismissed). */
export async function readGroup(wecom: WecomClient, chatId: string): Promise<GroupChatWire | undefined> {
  try {
    return await wecom.groups.getGroupChat(chatId, true);
  } catch (err) {
    if (isWechatApiError(err) && err.category === 'NOT_FOUND') return undefined;
    throw err;
  }
}

/**
 * What a read says of its external members (type 2, customers): their external_userid, the unionid where WeCom
 * gives one, the nickname as display name. Staff members (type 1) are not customers.
 */
export function memberObservations(account: WecomAccount, g: GroupChatWire): BulkObservation[] {
  return (g.member_list ?? [])
    .filter((m) => m.userid && m.type === 2)
    .map((m) => {
      const identities: IdentityRef[] = [{ type: 'wecom_external_userid', scope: account.corpId, value: m.userid }];
      if (m.unionid) identities.push({ type: 'unionid', scope: account.openPlatformId, value: m.unionid });
      return { identities, ...(m.name ? { profile: { displayName: m.name } } : {}) };
    });
}

const time = (unix: number | undefined): Date | null => (unix ? new Date(unix * 1000) : null);

/** A group as groupchat/list named it (its status) and what groupchat/get said of it (undefined: dismissed). */
export interface GroupRead {
  chatId: string;
  ownerStatus: number;
  group: GroupChatWire | undefined;
}

type WriteDeps = {
  resolver: BulkIdentityResolver;
  source: string;
  syncRunId: string | null;
  timeline: 'all' | 'known-groups';
};

/**
 * Stores groupchat/get reads in the caller's transaction (DESIGN §10.1): the external members of all of them
 * become or join customers through one identity resolution (external_userid always, unionid where WeCom gives
 * one, the nickname as display name), then the groups and their members; a group WeCom no longer has is kept as
 * dismissed. Returns the customers created.
 * Joins and leaves the reads find go on the timeline. With `timeline: 'known-groups'` (the full sync) only for a
 * group stored before: a group's first read records its memberships, not a flood of joins (DESIGN §10.1); a
 * callback's re-read (`'all'`) reports a new group's first members, who did just join.
 */
export async function writeGroupReads(
  em: Db,
  deps: WriteDeps,
  account: WecomAccount,
  reads: readonly GroupRead[],
  now: Date,
): Promise<number> {
  for (const r of reads) if (!r.group) await markGroupDismissed(em, account.corpId, r.chatId, now);
  const live = reads.flatMap((r) => {
    if (!r.group) return [];
    const g = r.group;
    return [
      {
        chatId: g.chat_id || r.chatId,
        ownerStatus: r.ownerStatus,
        g,
        members: (g.member_list ?? []).filter((m) => m.userid),
      },
    ];
  });
  const observations = live.flatMap(({ g }) => memberObservations(account, g));
  const r =
    observations.length > 0
      ? await deps.resolver.resolve(em, observations, { source: deps.source, syncRunId: deps.syncRunId })
      : { created: 0 };
  const changes = await saveGroupReads(
    em,
    account.corpId,
    live.map(({ chatId, ownerStatus, g, members }) => ({
      group: {
        chatId,
        name: g.name ?? null,
        ownerUserid: g.owner || null,
        notice: g.notice ?? null,
        adminUserids: (g.admin_list ?? []).map((a) => a.userid),
        ownerStatus,
        memberVersion: g.member_version || null,
        createdTime: time(g.create_time),
      },
      members: members.map((m): GroupMemberWrite => ({
        userid: m.userid,
        memberType: m.type,
        name: m.name || null,
        groupNickname: m.group_nickname || null,
        joinTime: time(m.join_time),
        joinScene: m.join_scene ?? null,
        invitorUserid: m.invitor?.userid || null,
        state: m.state || null,
      })),
    })),
    now,
  );
  for (const [i, { chatId }] of live.entries()) {
    const c = changes[i]!;
    if (c.known || deps.timeline === 'all')
      await writeGroupTimeline(
        em,
        account.corpId,
        chatId,
        c,
        `wecom:${account.corpId}:group:${chatId}@${now.getTime()}`,
      );
  }
  return r.created;
}

/** One read, as a callback's re-read stores it. */
export function writeGroupRead(
  em: Db,
  deps: WriteDeps,
  account: WecomAccount,
  chatId: string,
  ownerStatus: number,
  group: GroupChatWire | undefined,
  now: Date,
): Promise<number> {
  return writeGroupReads(em, deps, account, [{ chatId, ownerStatus, group }], now);
}
