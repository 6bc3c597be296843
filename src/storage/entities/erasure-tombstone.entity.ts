import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** DESIGN §7: keyed hash of one identity of an erased person; a replayed callback carrying it is dropped. */
export interface ErasureTombstoneRow {
  id: string;
  identityHash: string;
  identityType: string;
  customerId: string;
  createdAt: Date;
}

export const ErasureTombstoneEntity = new EntitySchema<ErasureTombstoneRow>({
  name: 'ErasureTombstone',
  tableName: 'erasure_tombstones',
  columns: {
    id: col.id(),
    identityHash: col.key('identity_hash', 64),
    identityType: col.key('identity_type', 32),
    customerId: col.key('customer_id', 36),
    createdAt: col.createdAt(),
  },
  uniques: [{ name: 'uq_erasure_tombstones_hash', columns: ['identityHash'] }],
});
