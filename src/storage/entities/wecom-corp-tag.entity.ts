import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** The WeCom corp tag library as get_corp_tag_list last returned it; gone tags keep their row, `deleted`. */
export interface WecomCorpTagRow {
  id: string;
  corpId: string;
  tagId: string;
  tagName: string;
  groupId: string;
  groupName: string;
  tagOrder: number;
  groupOrder: number;
  createTime: Date | null;
  deleted: boolean;
  syncedAt: Date;
}

export const WecomCorpTagEntity = new EntitySchema<WecomCorpTagRow>({
  name: 'WecomCorpTag',
  tableName: 'wecom_corp_tags',
  columns: {
    id: col.id(),
    corpId: col.key('corp_id', 64),
    tagId: col.key('tag_id', 64),
    tagName: col.str('tag_name', 64),
    groupId: col.key('group_id', 64),
    groupName: col.str('group_name', 64),
    tagOrder: col.count('tag_order', { default: 0 }),
    groupOrder: col.count('group_order', { default: 0 }),
    createTime: col.time('create_time', true),
    deleted: col.bool('deleted', false),
    syncedAt: col.timeNow('synced_at'),
  },
  uniques: [{ name: 'uq_wecom_corp_tags_corp_tag', columns: ['corpId', 'tagId'] }],
  indices: [{ name: 'idx_wecom_corp_tags_group', columns: ['corpId', 'groupId'] }],
});
