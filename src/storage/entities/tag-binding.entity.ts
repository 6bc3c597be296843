import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type TagBindingChannel = 'oa' | 'wecom';
export type TagBindingStatus = 'pending' | 'bound' | 'failed';

/**
 * A catalog tag bound to a remote tag: `oa` = OA tag id per appid, `wecom` = corp tag id (+ group) per corpid.
 * `remoteTagId` is null until the remote tag is created or adopted.
 */
export interface TagBindingRow {
  id: string;
  tagId: string;
  channel: TagBindingChannel;
  account: string;
  remoteTagId: string | null;
  remoteGroupId: string | null;
  remoteName: string | null;
  /** WeCom tag group name the binding lives in (add_corp_tag creates or joins a group by name). */
  remoteGroupName: string | null;
  status: TagBindingStatus;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const TagBindingEntity = new EntitySchema<TagBindingRow>({
  name: 'TagBinding',
  tableName: 'tag_bindings',
  columns: {
    id: col.id(),
    tagId: col.ref('tag_id'),
    channel: col.key('channel', 16),
    account: col.key('account', 64),
    remoteTagId: col.key('remote_tag_id', 64, { nullable: true }),
    remoteGroupId: col.key('remote_group_id', 64, { nullable: true }),
    remoteName: col.str('remote_name', 64, true),
    remoteGroupName: col.str('remote_group_name', 64, true),
    status: col.key('status', 16, { default: 'pending' }),
    error: col.text('error', true),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
  },
  uniques: [{ name: 'uq_tag_bindings_tag_channel_account', columns: ['tagId', 'channel', 'account'] }],
  indices: [{ name: 'idx_tag_bindings_remote', columns: ['channel', 'account', 'remoteTagId'] }],
});
