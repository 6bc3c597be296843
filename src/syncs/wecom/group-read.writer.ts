import type { IdentityRef } from '../../../connectors/common/identity-types';
import { isWechatApiError } from '../../../connectors/common/http/wechat-api-error';
import type { WecomClient } from '../../../connectors/wecom/client';
import type { GroupChatWire } from '../../../connectors/wecom/client-types';
import type { WecomAccount } from '../../../config';
import type { Db } from '../../storage';
import { writeGroupTimeline } from '../../events/group-timeline.writer';
import { markGroupDismissed, saveGroupRead, type GroupMemberWrite } from '../../storage/groups/wecom-group.repository';
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

const time = (unix: number | undefined): Date | null => (unix ? new Date(unix * 1000) : null);

/**
 * Stores one groupchat/get read in the caller's transaction (DESIGN §10.1): the external members become or join
 * customers through identity resolution (external_userid always, unionid where WeCom gives one, the nickname as
 * display name), then the group and its members; a group WeCom no longer has is kept as dismissed. Returns the
 * customers created.
 * Joins and leaves the read finds go on the timeline. With `timeline: 'known-groups'` (the full sync) only for a
 * group stored before: a group's first read records its memberships, not a flood of joins (DESIGN §10.1); a
 * callback's re-read (`'all'`) reports a new group's first members, who did just join.
 */
export async function writeGroupRead(
  em: Db,
  deps: { resolver: BulkIdentityResolver; source: string; syncRunId: string | null; timeline: 'all' | 'known-groups' },
  account: WecomAccount,
  chatId: string,
  ownerStatus: number,
  g: GroupChatWire | undefined,
  now: Date,
): Promise<number> {
  if (!g) {
    await markGroupDismissed(em, account.corpId, chatId, now);
    return 0;
  }
  const members = (g.member_list ?? []).filter((m) => m.userid);
  const observations: BulkObservation[] = members
    .filter((m) => m.type === 2)
    .map((m) => {
      const identities: IdentityRef[] = [{ type: 'wecom_external_userid', scope: account.corpId, value: m.userid }];
      if (m.unionid) identities.push({ type: 'unionid', scope: account.openPlatformId, value: m.unionid });
      return { identities, ...(m.name ? { profile: { displayName: m.name } } : {}) };
    });
  const writes: GroupMemberWrite[] = members.map((m) => ({
    userid: m.userid,
    memberType: m.type,
    name: m.name || null,
    groupNickname: m.group_nickname || null,
    joinTime: time(m.join_time),
    joinScene: m.join_scene ?? null,
    invitorUserid: m.invitor?.userid || null,
    state: m.state || null,
  }));
  const r =
    observations.length > 0
      ? await deps.resolver.resolve(em, observations, { source: deps.source, syncRunId: deps.syncRunId })
      : { created: 0 };
  const changes = await saveGroupRead(
    em,
    account.corpId,
    {
      chatId: g.chat_id || chatId,
      name: g.name ?? null,
      ownerUserid: g.owner || null,
      notice: g.notice ?? null,
      adminUserids: (g.admin_list ?? []).map((a) => a.userid),
      ownerStatus,
      memberVersion: g.member_version || null,
      createdTime: time(g.create_time),
    },
    writes,
    now,
  );
  if (changes.known || deps.timeline === 'all') {
    await writeGroupTimeline(
      em,
      account.corpId,
      g.chat_id || chatId,
      changes,
      `wecom:${account.corpId}:group:${g.chat_id || chatId}@${now.getTime()}`,
    );
  }
  return r.created;
}
