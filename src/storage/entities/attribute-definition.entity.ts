import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type AttributeType = 'text' | 'number' | 'date' | 'bool' | 'enum' | 'multiEnum';
/** Who may change a value besides admins: console/API roles, and `staff` in the WeCom sidebar. */
export type AttributeEditor = 'operator' | 'staff';

/** A typed custom field (DESIGN §10.4). */
export interface AttributeDefinitionRow {
  id: string;
  key: string;
  labelZh: string;
  labelEn: string;
  type: AttributeType;
  /** The choices of an enum or multiEnum, in the order screens show them. */
  options: string[] | null;
  /** Values are stored sealed and masked for viewers. */
  pii: boolean;
  editableBy: AttributeEditor[];
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const AttributeDefinitionEntity = new EntitySchema<AttributeDefinitionRow>({
  name: 'AttributeDefinition',
  tableName: 'attribute_definitions',
  columns: {
    id: col.id(),
    key: col.key('attr_key', 64),
    labelZh: col.str('label_zh', 128),
    labelEn: col.str('label_en', 128),
    type: col.key('type', 16),
    options: col.json('options', true),
    pii: col.bool('pii', false),
    editableBy: col.json('editable_by'),
    createdBy: col.str('created_by', 128, true),
    createdAt: col.timeNow('created_at'),
    updatedAt: col.timeNow('updated_at'),
  },
  uniques: [{ name: 'uq_attribute_definitions_key', columns: ['key'] }],
});
