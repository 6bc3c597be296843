import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** A member of a WeCom corp (the staff directory, DESIGN §10.3); `left` members keep their row. */
export interface WecomStaffRow {
  id: string;
  corpId: string;
  userid: string;
  name: string | null;
  departments: { id: number; name: string | null }[] | null;
  position: string | null;
  status: 'active' | 'left';
  seenAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const WecomStaffEntity = new EntitySchema<WecomStaffRow>({
  name: 'WecomStaff',
  tableName: 'wecom_staff',
  columns: {
    id: col.id(),
    corpId: col.key('corp_id', 64),
    userid: col.key('userid', 64),
    name: col.str('name', 64, true),
    departments: col.json('departments', true),
    position: col.str('position', 128, true),
    status: col.key('status', 16, { default: 'active' }),
    seenAt: col.time('seen_at', true),
    createdAt: col.timeNow('created_at'),
    updatedAt: col.timeNow('updated_at'),
  },
  uniques: [{ name: 'uq_wecom_staff_member', columns: ['corpId', 'userid'] }],
});
