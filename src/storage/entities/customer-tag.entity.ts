import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** `channel`: given by the channel code the customer came through (DESIGN §10.2). */
export type CustomerTagSource = 'manual' | 'rule' | 'staff' | 'wechat' | 'channel';

/**
 * Desired state (DESIGN §5): the customer should carry the tag while at least one row exists. One row per
 * source, so a rule dropping a customer removes only the rule's row and a manual assignment survives.
 */
export interface CustomerTagRow {
  id: string;
  customerId: string;
  tagId: string;
  source: CustomerTagSource;
  assignedBy: string | null;
  createdAt: Date;
}

export const CustomerTagEntity = new EntitySchema<CustomerTagRow>({
  name: 'CustomerTag',
  tableName: 'customer_tags',
  columns: {
    id: col.id(),
    customerId: col.key('customer_id', 36),
    tagId: col.ref('tag_id'),
    source: col.key('source', 16),
    assignedBy: col.str('assigned_by', 128, true),
    createdAt: col.createdAt(),
  },
  uniques: [{ name: 'uq_customer_tags_customer_tag_source', columns: ['customerId', 'tagId', 'source'] }],
  indices: [{ name: 'idx_customer_tags_tag', columns: ['tagId', 'customerId'] }],
});
