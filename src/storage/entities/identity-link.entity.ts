import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** Evidence for one identity joining a customer: where it was seen (inbox row, event or sync run). */
export interface IdentityLinkRow {
  id: string;
  customerId: string;
  identityId: string;
  source: string;
  inboxId: string | null;
  eventId: string | null;
  syncRunId: string | null;
  createdAt: Date;
}

export const IdentityLinkEntity = new EntitySchema<IdentityLinkRow>({
  name: 'IdentityLink',
  tableName: 'identity_links',
  columns: {
    id: col.id(),
    customerId: col.key('customer_id', 36),
    identityId: col.ref('identity_id'),
    source: col.key('source', 64),
    inboxId: col.ref('inbox_id', true),
    eventId: col.ref('event_id', true),
    syncRunId: col.ref('sync_run_id', true),
    createdAt: col.createdAt(),
  },
  indices: [
    { name: 'idx_identity_links_customer', columns: ['customerId'] },
    { name: 'idx_identity_links_identity', columns: ['identityId'] },
  ],
});
