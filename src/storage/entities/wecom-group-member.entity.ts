import { EntitySchema } from 'typeorm';
import { col } from './columns';

/**
 * A member of a WeCom customer group: staff (type 1, `userid` the member's userid) or external (type 2, `userid`
 * the external_userid; the customer is whoever holds that identity). Leaving sets `leftAt`, the row stays.
 */
export interface WecomGroupMemberRow {
  id: string;
  corpId: string;
  chatId: string;
  userid: string;
  memberType: number;
  name: string | null;
  groupNickname: string | null;
  joinTime: Date | null;
  /** groupchat/get join_scene: 1 invited directly, 2 invite link, 3 group QR code. */
  joinScene: number | null;
  invitorUserid: string | null;
  state: string | null;
  leftAt: Date | null;
  /** change_external_chat QuitScene when known: 0 left, 1 removed by the owner or an admin. */
  quitScene: number | null;
  seenAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const WecomGroupMemberEntity = new EntitySchema<WecomGroupMemberRow>({
  name: 'WecomGroupMember',
  tableName: 'wecom_group_members',
  columns: {
    id: col.id(),
    corpId: col.key('corp_id', 64),
    chatId: col.key('chat_id', 64),
    userid: col.key('userid', 64),
    memberType: col.int('member_type'),
    name: col.str('name', 128, true),
    groupNickname: col.str('group_nickname', 128, true),
    joinTime: col.time('join_time', true),
    joinScene: col.int('join_scene', { nullable: true }),
    invitorUserid: col.key('invitor_userid', 64, { nullable: true }),
    state: col.key('state', 64, { nullable: true }),
    leftAt: col.time('left_at', true),
    quitScene: col.int('quit_scene', { nullable: true }),
    seenAt: col.time('seen_at', true),
    createdAt: col.timeNow('created_at'),
    updatedAt: col.timeNow('updated_at'),
  },
  uniques: [{ name: 'uq_wecom_group_members_member', columns: ['corpId', 'chatId', 'userid'] }],
  indices: [{ name: 'idx_wecom_group_members_user', columns: ['corpId', 'userid'] }],
});
