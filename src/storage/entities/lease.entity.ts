import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** A named once-only task's lease (DESIGN §3, storage/lease-store.ts); `holder` null when free. */
export interface LeaseRow {
  name: string;
  holder: string | null;
  fence: number;
  expiresAt: Date | null;
  updatedAt: Date;
}

export const LeaseEntity = new EntitySchema<LeaseRow>({
  name: 'Lease',
  tableName: 'leases',
  columns: {
    name: col.key('name', 191, { primary: true }),
    holder: col.key('holder', 64, { nullable: true }),
    fence: col.count('fence', { default: 0 }),
    expiresAt: col.time('expires_at', true),
    updatedAt: col.timeNow('updated_at'),
  },
});
