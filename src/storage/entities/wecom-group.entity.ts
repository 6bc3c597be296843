import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** A WeCom customer group (客户群, DESIGN §10.1); a dismissed group keeps its row and members. */
export interface WecomGroupRow {
  id: string;
  corpId: string;
  chatId: string;
  name: string | null;
  ownerUserid: string | null;
  notice: string | null;
  adminUserids: string[] | null;
  status: 'active' | 'dismissed';
  /** groupchat/list status: 0 owner in the corp, 1 owner resigned, 2 inheritance in progress, 3 done. */
  ownerStatus: number;
  memberVersion: string | null;
  /** Current members (left ones not counted). */
  memberCount: number;
  /** When the group was created in WeCom (`create_time`). */
  createdTime: Date | null;
  dismissedAt: Date | null;
  seenAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const WecomGroupEntity = new EntitySchema<WecomGroupRow>({
  name: 'WecomGroup',
  tableName: 'wecom_groups',
  columns: {
    id: col.id(),
    corpId: col.key('corp_id', 64),
    chatId: col.key('chat_id', 64),
    name: col.str('name', 255, true),
    ownerUserid: col.key('owner_userid', 64, { nullable: true }),
    notice: col.text('notice', true),
    adminUserids: col.json('admin_userids', true),
    status: col.key('status', 16, { default: 'active' }),
    ownerStatus: col.int('owner_status', { default: 0 }),
    memberVersion: col.key('member_version', 64, { nullable: true }),
    memberCount: col.int('member_count', { default: 0 }),
    createdTime: col.time('created_time', true),
    dismissedAt: col.time('dismissed_at', true),
    seenAt: col.time('seen_at', true),
    createdAt: col.timeNow('created_at'),
    updatedAt: col.timeNow('updated_at'),
  },
  uniques: [{ name: 'uq_wecom_groups_chat', columns: ['corpId', 'chatId'] }],
  indices: [{ name: 'idx_wecom_groups_owner', columns: ['corpId', 'ownerUserid'] }],
});
