import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type WelcomeSendStatus = 'sending' | 'sent' | 'failed' | 'expired';

/** One WelcomeCode of a channel's contact way and what became of it (DESIGN §10.2); the row is the claim. */
export interface WelcomeSendRow {
  id: string;
  welcomeCode: string;
  channelId: string;
  corpId: string;
  staffUserid: string;
  externalUserid: string;
  /** When WeChat says the add happened: the code is good for 20 s from then. */
  eventAt: Date;
  status: WelcomeSendStatus;
  errcode: number | null;
  error: string | null;
  /** The instance that claimed the send. */
  holder: string | null;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const WelcomeSendEntity = new EntitySchema<WelcomeSendRow>({
  name: 'WelcomeSend',
  tableName: 'welcome_sends',
  columns: {
    id: col.id(),
    welcomeCode: col.key('welcome_code', 128),
    channelId: col.ref('channel_id'),
    corpId: col.key('corp_id', 64),
    staffUserid: col.key('staff_userid', 64),
    externalUserid: col.key('external_userid', 64),
    eventAt: col.time('event_at'),
    status: col.key('status', 16),
    errcode: col.int('errcode', { nullable: true }),
    error: col.str('error', 255, true),
    holder: col.key('holder', 64, { nullable: true }),
    sentAt: col.time('sent_at', true),
    createdAt: col.timeNow('created_at'),
    updatedAt: col.timeNow('updated_at'),
  },
  uniques: [{ name: 'uq_welcome_sends_code', columns: ['welcomeCode'] }],
  indices: [{ name: 'idx_welcome_sends_channel', columns: ['channelId', 'eventAt'] }],
});
