import { EntitySchema } from 'typeorm';
import { col } from './columns';

export interface TagGroupRow {
  id: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

export const TagGroupEntity = new EntitySchema<TagGroupRow>({
  name: 'TagGroup',
  tableName: 'tag_groups',
  columns: {
    id: col.id(),
    name: col.str('name', 64),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
  },
  uniques: [{ name: 'uq_tag_groups_name', columns: ['name'] }],
});
