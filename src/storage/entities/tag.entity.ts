import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** Tag `groupId` for a tag in no group: a real value so UNIQUE(group_id, name) holds for ungrouped tags. */
export const UNGROUPED = '0';

/** A catalog tag (DESIGN §5). Soft-deleted tags keep their row (and name) with `deletedAt` set. */
export interface TagRow {
  id: string;
  name: string;
  groupId: string;
  description: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export const TagEntity = new EntitySchema<TagRow>({
  name: 'Tag',
  tableName: 'tags',
  columns: {
    id: col.id(),
    name: col.str('name', 64),
    groupId: { ...col.ref('group_id'), default: 0 },
    description: col.str('description', 255, true),
    createdBy: col.str('created_by', 128, true),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
    deletedAt: col.time('deleted_at', true),
  },
  uniques: [{ name: 'uq_tags_group_name', columns: ['groupId', 'name'] }],
});
