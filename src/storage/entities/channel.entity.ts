import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type ChannelKind = 'oa-qrcode' | 'wecom-contact-way';

/**
 * A channel code (渠道活码, DESIGN §10.2): an OA parametric QR code (`code` = its scene_str) or a WeCom contact way
 * (`code` = its `state`), with the tags it gives and the welcome message it sends. Kept after deletion.
 */
export interface ChannelRow {
  id: string;
  name: string;
  kind: ChannelKind;
  /** The OA appId or the WeCom corpId. */
  accountId: string;
  /** The scene_str (OA) or state (WeCom) WeChat echoes back on a scan or add. */
  code: string;
  /** WeCom contact way config_id. */
  configId: string | null;
  /** OA QR code ticket. */
  ticket: string | null;
  qrUrl: string | null;
  permanent: boolean;
  expireSeconds: number | null;
  expiresAt: Date | null;
  staffUserids: string[] | null;
  skipVerify: boolean;
  tagIds: string[];
  welcomeText: string | null;
  createdBy: string | null;
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const ChannelEntity = new EntitySchema<ChannelRow>({
  name: 'Channel',
  tableName: 'channels',
  columns: {
    id: col.id(),
    name: col.str('name', 128),
    kind: col.key('kind', 32),
    accountId: col.key('account_id', 64),
    code: col.key('code', 64),
    configId: col.key('config_id', 64, { nullable: true }),
    ticket: col.key('ticket', 255, { nullable: true }),
    qrUrl: col.text('qr_url', true),
    permanent: col.bool('permanent', false),
    expireSeconds: col.int('expire_seconds', { nullable: true }),
    expiresAt: col.time('expires_at', true),
    staffUserids: col.json('staff_userids', true),
    skipVerify: col.bool('skip_verify', true),
    tagIds: col.json('tag_ids'),
    welcomeText: col.text('welcome_text', true),
    createdBy: col.str('created_by', 128, true),
    deletedAt: col.time('deleted_at', true),
    createdAt: col.timeNow('created_at'),
    updatedAt: col.timeNow('updated_at'),
  },
  uniques: [{ name: 'uq_channels_code', columns: ['kind', 'accountId', 'code'] }],
});
