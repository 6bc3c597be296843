import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type AttributeSource = 'manual' | 'staff' | 'import' | 'api' | 'wechat';

/**
 * One customer's value of one attribute (DESIGN §10.4): text, date, bool, enum and multiEnum (JSON) values in
 * `valueText`, numbers in `valueNum`, a `pii` value only sealed in `valueEnc`.
 */
export interface CustomerAttributeRow {
  id: string;
  customerId: string;
  key: string;
  valueText: string | null;
  valueNum: number | null;
  valueEnc: string | null;
  source: AttributeSource;
  updatedBy: string | null;
  updatedAt: Date;
}

export const CustomerAttributeEntity = new EntitySchema<CustomerAttributeRow>({
  name: 'CustomerAttribute',
  tableName: 'customer_attributes',
  columns: {
    id: col.id(),
    customerId: col.key('customer_id', 36),
    key: col.key('attr_key', 64),
    valueText: col.key('value_text', 512, { nullable: true }),
    valueNum: col.double('value_num', true),
    valueEnc: col.text('value_enc', true),
    source: col.key('source', 16),
    updatedBy: col.str('updated_by', 128, true),
    updatedAt: col.timeNow('updated_at'),
  },
  uniques: [{ name: 'uq_customer_attributes_customer_key', columns: ['customerId', 'key'] }],
  indices: [
    { name: 'idx_customer_attributes_text', columns: ['key', 'valueText'] },
    { name: 'idx_customer_attributes_num', columns: ['key', 'valueNum'] },
  ],
});
