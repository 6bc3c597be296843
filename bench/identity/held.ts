import type { DataSource } from '../../src/storage';
import { select } from '../../src/storage/sql';
import type { HeldIdentity } from './score';

/** Every identity the gateway's active customers hold, for scoring against the emulator's truth. */
export async function heldIdentities(ds: DataSource): Promise<HeldIdentity[]> {
  const rows = await select<{ customer_id: string; type: HeldIdentity['type']; scope: string; value: string }>(
    ds,
    "SELECT i.customer_id, i.type, i.scope, i.value FROM identities i JOIN customers c ON c.id = i.customer_id AND c.status = 'active'",
  );
  return rows.map((r) => ({ customerId: r.customer_id, type: r.type, scope: r.scope, value: r.value }));
}
