import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** A WeCom follow relation: staff userid ↔ external_userid in a corp (externalcontact/get `follow_user`). */
export interface WecomFollowRow {
  id: string;
  corpId: string;
  staffUserid: string;
  externalUserid: string;
  customerId: string | null;
  remark: string | null;
  description: string | null;
  addWay: number | null;
  state: string | null;
  operUserid: string | null;
  /** When the staff member added the contact (`createtime`). */
  createdTime: Date | null;
  deleted: boolean;
  deletedAt: Date | null;
  /** Why the relation ended when not by either side: `transferred` (DESIGN §10.3). */
  endReason: string | null;
  /** Corp tag ids on this relation as WeChat last reported them. */
  tags: string[] | null;
  createdAt: Date;
  updatedAt: Date;
}

export const WecomFollowEntity = new EntitySchema<WecomFollowRow>({
  name: 'WecomFollow',
  tableName: 'wecom_follows',
  columns: {
    id: col.id(),
    corpId: col.key('corp_id', 64),
    staffUserid: col.key('staff_userid', 64),
    externalUserid: col.key('external_userid', 64),
    customerId: col.key('customer_id', 36, { nullable: true }),
    remark: col.str('remark', 255, true),
    description: col.str('description', 512, true),
    addWay: col.int('add_way', { nullable: true }),
    state: col.key('state', 64, { nullable: true }),
    operUserid: col.key('oper_userid', 64, { nullable: true }),
    createdTime: col.time('created_time', true),
    deleted: col.bool('deleted', false),
    deletedAt: col.time('deleted_at', true),
    endReason: col.key('end_reason', 16, { nullable: true }),
    tags: col.json('tags', true),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
  },
  uniques: [{ name: 'uq_wecom_follows_relation', columns: ['corpId', 'staffUserid', 'externalUserid'] }],
  indices: [
    { name: 'idx_wecom_follows_customer', columns: ['customerId'] },
    { name: 'idx_wecom_follows_external', columns: ['corpId', 'externalUserid'] },
    { name: 'idx_wecom_follows_remark', columns: ['remark'] },
  ],
});
