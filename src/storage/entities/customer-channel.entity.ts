import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** Which channel a customer came through (DESIGN §10.2): first and last touch and the number of touches. */
export interface CustomerChannelRow {
  id: string;
  customerId: string;
  channelId: string;
  firstAt: Date;
  lastAt: Date;
  touches: number;
}

export const CustomerChannelEntity = new EntitySchema<CustomerChannelRow>({
  name: 'CustomerChannel',
  tableName: 'customer_channels',
  columns: {
    id: col.id(),
    customerId: col.key('customer_id', 36),
    channelId: col.ref('channel_id'),
    firstAt: col.time('first_at'),
    lastAt: col.time('last_at'),
    touches: col.int('touches', { default: 1 }),
  },
  uniques: [{ name: 'uq_customer_channels_customer', columns: ['customerId', 'channelId'] }],
  indices: [{ name: 'idx_customer_channels_channel', columns: ['channelId', 'firstAt'] }],
});
