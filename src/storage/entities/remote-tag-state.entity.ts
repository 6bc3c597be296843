import { EntitySchema } from 'typeorm';
import { col } from './columns';

/**
 * What WeChat holds (DESIGN §5): remote tag `remoteTagId` on `subject` in (channel, account). `subject` is the
 * openid for `oa`, `staff_userid|external_userid` for `wecom` (see `wecomSubject`).
 */
export interface RemoteTagStateRow {
  id: string;
  channel: string;
  account: string;
  subject: string;
  remoteTagId: string;
  customerId: string | null;
  present: boolean;
  /** Permanent errcode that stopped the last push to this subject (45059, 84061, …). */
  lastErrcode: number | null;
  /** WeChat reported a state different from the desired one (OA reconcile, WeCom relation re-read). */
  drifted: boolean;
  pushedAt: Date | null;
  observedAt: Date | null;
  updatedAt: Date;
}

export function wecomSubject(staffUserid: string, externalUserid: string): string {
  return `${staffUserid}|${externalUserid}`;
}

export const RemoteTagStateEntity = new EntitySchema<RemoteTagStateRow>({
  name: 'RemoteTagState',
  tableName: 'remote_tag_state',
  columns: {
    id: col.id(),
    channel: col.key('channel', 16),
    account: col.key('account', 64),
    subject: col.key('subject', 160),
    remoteTagId: col.key('remote_tag_id', 64),
    customerId: col.key('customer_id', 36, { nullable: true }),
    present: col.bool('present', false),
    lastErrcode: col.int('last_errcode', { nullable: true }),
    drifted: col.bool('drifted', false),
    pushedAt: col.time('pushed_at', true),
    observedAt: col.time('observed_at', true),
    updatedAt: col.updatedAt(),
  },
  uniques: [{ name: 'uq_remote_tag_state_subject_tag', columns: ['channel', 'account', 'subject', 'remoteTagId'] }],
  indices: [
    { name: 'idx_remote_tag_state_tag', columns: ['channel', 'account', 'remoteTagId'] },
    { name: 'idx_remote_tag_state_customer', columns: ['customerId'] },
  ],
});
