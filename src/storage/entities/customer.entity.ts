import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type CustomerStatus = 'active' | 'merged' | 'erased';

/** One unified person (DESIGN §3–§4). `id` is a UUIDv7 made by `newCustomerId()`. */
export interface CustomerRow {
  id: string;
  status: CustomerStatus;
  mergedIntoId: string | null;
  displayName: string | null;
  avatarUrl: string | null;
  /** AES-256-GCM ciphertext of the verified phone number (DESIGN §7). */
  phoneEnc: string | null;
  /** Lifetime purchases, their total in fen and the last one's time, kept from `transactions` (DESIGN §5 RFM). */
  purchaseOrders: number;
  purchaseSpentFen: number;
  lastPurchaseAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const CustomerEntity = new EntitySchema<CustomerRow>({
  name: 'Customer',
  tableName: 'customers',
  columns: {
    id: col.key('id', 36, { primary: true }),
    status: col.key('status', 16, { default: 'active' }),
    mergedIntoId: col.key('merged_into_id', 36, { nullable: true }),
    displayName: col.str('display_name', 128, true),
    avatarUrl: col.str('avatar_url', 512, true),
    phoneEnc: col.key('phone_enc', 255, { nullable: true }),
    purchaseOrders: col.int('purchase_orders', { default: 0 }),
    purchaseSpentFen: col.count('purchase_spent_fen', { default: 0 }),
    lastPurchaseAt: col.time('last_purchase_at', true),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
  },
  indices: [{ name: 'idx_customers_display_name', columns: ['displayName'] }],
});
