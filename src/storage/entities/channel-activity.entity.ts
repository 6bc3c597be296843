import { EntitySchema } from 'typeorm';
import { col } from './columns';

/**
 * One touch of a channel (`new`: the customer's first through it, `returning`: a later one) or one loss of a
 * customer it first brought (`lost`), keyed by the inbox event behind it; the channel stats count these.
 */
export type ChannelActivityKind = 'new' | 'returning' | 'lost';

export interface ChannelActivityRow {
  id: string;
  channelId: string;
  customerId: string;
  kind: ChannelActivityKind;
  at: Date;
  dedupeKey: string;
}

export const ChannelActivityEntity = new EntitySchema<ChannelActivityRow>({
  name: 'ChannelActivity',
  tableName: 'channel_activity',
  columns: {
    id: col.id(),
    channelId: col.ref('channel_id'),
    customerId: col.key('customer_id', 36),
    kind: col.key('kind', 16),
    at: col.time('at'),
    dedupeKey: col.key('dedupe_key', 191),
  },
  uniques: [{ name: 'uq_channel_activity_key', columns: ['dedupeKey'] }],
  indices: [
    { name: 'idx_channel_activity_channel', columns: ['channelId', 'at'] },
    { name: 'idx_channel_activity_customer', columns: ['customerId'] },
  ],
});
