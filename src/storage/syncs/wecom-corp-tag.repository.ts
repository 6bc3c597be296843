import { type Db, execute, fromDbTime, select, upsert } from '../sql';
import type { WecomCorpTagRow } from '../entities';

/**
 * One tag group as get_corp_tag_list lists it (wechat-api.md §5.5; the WeCom connector's CorpTagGroupWire is one).
 */
export interface CorpTagGroupRead {
  group_id: string;
  group_name: string;
  order?: number;
  deleted?: boolean;
  tag?: { id: string; name: string; create_time?: number; order?: number; deleted?: boolean }[];
}

/** One tag of a corp's library (`wecom_corp_tags`), as get_corp_tag_list last reported it. */
export type CorpTagRecord = Omit<WecomCorpTagRow, 'id' | 'syncedAt'>;

const unix = (s: number | undefined): Date | null => (typeof s === 'number' && s > 0 ? new Date(s * 1000) : null);

/**
 * Writes the whole library of one corp and marks tags it no longer lists as deleted. `seenAt` stamps every row
 * written now; a row with an older stamp was not in this read.
 */
export async function saveCorpTagLibrary(
  db: Db,
  corpId: string,
  groups: readonly CorpTagGroupRead[],
  seenAt: Date,
): Promise<{ tags: number; deleted: number }> {
  const rows = groups.flatMap((g) =>
    (g.tag ?? [])
      .filter((t) => !t.deleted && !g.deleted)
      .map((t) => ({
        corp_id: corpId,
        tag_id: t.id,
        tag_name: t.name.slice(0, 64),
        group_id: g.group_id,
        group_name: g.group_name.slice(0, 64),
        tag_order: t.order ?? 0,
        group_order: g.order ?? 0,
        create_time: unix(t.create_time),
        deleted: false,
        synced_at: seenAt,
      })),
  );
  await upsert(db, 'wecom_corp_tags', rows, {
    conflict: ['corp_id', 'tag_id'],
    update: ['tag_name', 'group_id', 'group_name', 'tag_order', 'group_order', 'create_time', 'deleted', 'synced_at'],
  });
  const { affected } = await execute(
    db,
    'UPDATE wecom_corp_tags SET deleted = 1 WHERE corp_id = ? AND deleted = 0 AND synced_at < ?',
    [corpId, seenAt],
  );
  return { tags: rows.length, deleted: affected };
}

export async function listCorpTags(db: Db, corpId: string, includeDeleted = false): Promise<CorpTagRecord[]> {
  const rows = await select(
    db,
    `SELECT corp_id, tag_id, tag_name, group_id, group_name, tag_order, group_order, create_time, deleted FROM wecom_corp_tags WHERE corp_id = ?${includeDeleted ? '' : ' AND deleted = 0'} ORDER BY group_order DESC, group_id, tag_order DESC, tag_id`,
    [corpId],
  );
  return rows.map((r) => ({
    corpId: String(r.corp_id),
    tagId: String(r.tag_id),
    tagName: String(r.tag_name),
    groupId: String(r.group_id),
    groupName: String(r.group_name),
    tagOrder: Number(r.tag_order),
    groupOrder: Number(r.group_order),
    createTime: fromDbTime(r.create_time),
    deleted: Number(r.deleted) === 1 || r.deleted === true,
  }));
}
