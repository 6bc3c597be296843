import { EntitySchema } from 'typeorm';
import type { IdentityType } from '../identity/identity-types';
import { col } from './columns';

/** A link refused because it would give a customer two values of a one-per-person type (DESIGN §4). */
export interface IdentityConflictRow {
  id: string;
  type: IdentityType;
  scope: string;
  existingValue: string;
  refusedValue: string;
  customerId: string;
  otherCustomerId: string | null;
  evidence: Record<string, unknown> | null;
  resolved: boolean;
  createdAt: Date;
}

export const IdentityConflictEntity = new EntitySchema<IdentityConflictRow>({
  name: 'IdentityConflict',
  tableName: 'identity_conflicts',
  columns: {
    id: col.id(),
    type: col.key('type', 32),
    scope: col.key('scope', 64),
    existingValue: col.key('existing_value', 128),
    refusedValue: col.key('refused_value', 128),
    customerId: col.key('customer_id', 36),
    otherCustomerId: col.key('other_customer_id', 36, { nullable: true }),
    evidence: col.json('evidence', true),
    resolved: col.bool('resolved', false),
    createdAt: col.createdAt(),
  },
  indices: [
    { name: 'idx_identity_conflicts_customer', columns: ['customerId'] },
    { name: 'idx_identity_conflicts_resolved', columns: ['resolved', 'createdAt'] },
  ],
});
