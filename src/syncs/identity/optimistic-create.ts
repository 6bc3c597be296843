import { cleanRefs } from '../../identity/identity-keys';
import { unlessDuplicate } from '../../storage/savepoint';
import type { Db } from '../../storage/sql';
import { foldProfile, groupObservations, hasSlotClash } from './batch-groups';
import { uuidv7Batch } from './uuid-batch';
import {
  anyTombstones,
  insertCustomersBulk,
  insertIdentitiesBulk,
  type NewIdentityRow,
} from '../../storage/identity/bulk-identity.repository';
import type { BulkObservation, BulkResolution } from './bulk-resolver';
import { recordCustomersCreated } from '../../identity/identity-webhook-events';

const SAVEPOINT = 'siyu_bulk_create';

/**
 * A first sync meets mostly people nobody knows yet. Inserting their customers and identities outright, under a
 * savepoint, skips looking up every identity first (at a million followers, one random read of the unique index
 * per identity, the largest cost of the sync); the unique key itself proves none existed. If one did — known
 * from before, or inserted meanwhile by another resolver — the savepoint is rolled back and undefined returned
 * for the caller to resolve the batch the usual way. Only batches whose every group would be a plain create
 * qualify: no phones, no two values of a one-per-person type, and no erasure tombstones anywhere.
 */
export async function createAllOrNothing(
  db: Db,
  batch: readonly BulkObservation[],
  ev: { source: string; now: Date },
): Promise<BulkResolution | undefined> {
  const refs = batch.map((o) => cleanRefs(o.identities));
  if (refs.some((r) => r.length === 0 || r.some((x) => x.type === 'phone'))) return undefined;
  const groups = groupObservations(refs);
  if (groups.some((g) => hasSlotClash(g.refs)) || (await anyTombstones(db))) return undefined;
  const out: BulkResolution = { customerIds: batch.map(() => null), created: groups.length, attached: 0, single: 0 };
  const identities: NewIdentityRow[] = [];
  const ids = uuidv7Batch(groups.length, ev.now.getTime());
  const customers = groups.map((g, gi) => {
    const id = ids[gi]!;
    const profile = foldProfile(g.members.map((m) => batch[m]!.profile));
    for (const ref of g.refs) identities.push({ customerId: id, ref });
    for (const m of g.members) out.customerIds[m] = id;
    return { id, displayName: profile.displayName ?? null, avatarUrl: profile.avatarUrl ?? null };
  });
  return unlessDuplicate(db, SAVEPOINT, async () => {
    await insertCustomersBulk(db, customers, ev.now);
    await insertIdentitiesBulk(db, identities, { source: ev.source, syncRunId: null, now: ev.now, links: false });
    await recordCustomersCreated(
      db,
      customers.map((c) => c.id),
      identities,
      ev.source,
      ev.now,
    );
    return out;
  });
}
