import { EntitySchema } from 'typeorm';
import type { IdentityType } from '../identity/identity-types';
import { col } from './columns';

/**
 * (type, scope, value) → customer (DESIGN §3). For `phone`, `value` is the keyed hash and `valueEnc` the
 * AES-GCM ciphertext; for every other type `valueEnc` is null.
 */
export interface IdentityRow {
  id: string;
  customerId: string;
  type: IdentityType;
  scope: string;
  value: string;
  valueEnc: string | null;
  source: string | null;
  verified: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const IdentityEntity = new EntitySchema<IdentityRow>({
  name: 'Identity',
  tableName: 'identities',
  columns: {
    id: col.id(),
    customerId: col.key('customer_id', 36),
    type: col.key('type', 32),
    scope: col.key('scope', 64),
    value: col.key('value', 128),
    valueEnc: col.key('value_enc', 255, { nullable: true }),
    source: col.key('source', 64, { nullable: true }),
    verified: col.bool('verified', false),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
  },
  uniques: [{ name: 'uq_identities_type_scope_value', columns: ['type', 'scope', 'value'] }],
  indices: [{ name: 'idx_identities_customer', columns: ['customerId'] }],
});
