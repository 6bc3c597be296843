import { EntitySchema } from 'typeorm';
import { col } from './columns';

/**
 * A person's consent for one purpose (DESIGN §12): `marketing`, `subscribe_msg:<templateId>` (WeChat's
 * subscription-message popups), or a brand's own. One row per (customer, purpose, channel): its current state;
 * each change is also a `consent.changed` timeline event. `channel` is '' when the consent is not tied to one.
 */
export interface ConsentRow {
  id: string;
  customerId: string;
  purpose: string;
  channel: string;
  granted: boolean;
  source: string;
  at: Date;
  updatedAt: Date;
}

export const ConsentEntity = new EntitySchema<ConsentRow>({
  name: 'Consent',
  tableName: 'consents',
  columns: {
    id: col.id(),
    customerId: col.key('customer_id', 36),
    purpose: col.key('purpose', 128),
    channel: col.key('channel', 16, { default: '' }),
    granted: col.bool('granted', false),
    source: col.key('source', 64),
    at: col.time('at'),
    updatedAt: col.updatedAt(),
  },
  uniques: [{ name: 'uq_consents_customer_purpose_channel', columns: ['customerId', 'purpose', 'channel'] }],
  indices: [{ name: 'idx_consents_purpose_granted', columns: ['purpose', 'granted'] }],
});
