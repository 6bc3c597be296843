import type { IdentityRef } from '../../../connectors/common/identity-types';
import { findCustomers, updateCustomer, type StoredCustomer } from '../../storage/customers/customer.repository';
import { cleanRefs, identityKey } from '../../identity/identity-keys';
import { identitiesOfCustomers } from '../../storage/identity/identity.repository';
import type { IdentityService } from '../../identity/identity.service';
import { planResolution, type KnownCustomer } from '../../identity/resolution-plan';
import type { IdentityHasher } from '../../security/identity-hash';
import type { Db } from '../../storage/sql';
import { foldProfile, groupObservations, hasSlotClash, type Profile } from './batch-groups';
import { createAllOrNothing } from './optimistic-create';
import { recordCustomersCreated, recordIdentitiesLinked } from '../../identity/identity-webhook-events';
import { uuidv7Batch } from './uuid-batch';
import {
  anyTombstones,
  findIdentitiesBulk,
  insertCustomersBulk,
  insertIdentitiesBulk,
  tombstonedHashes,
  type NewIdentityRow,
} from '../../storage/identity/bulk-identity.repository';

export interface BulkObservation {
  identities: IdentityRef[];
  profile?: { displayName?: string; avatarUrl?: string };
}

export interface BulkResolution {
  /** Per observation, the customer now holding its identities (null: erased person or nothing linkable). */
  customerIds: (string | null)[];
  created: number;
  attached: number;
  /** Observations handed to the single-observation path (merges, conflicts, phones, erased or merged owners). */
  single: number;
}

export interface BulkResolverDeps {
  identity: IdentityService;
  hasher: IdentityHasher;
  now: () => number;
}

/**
 * Identity resolution for a batch of sync observations (DESIGN §4), in the caller's transaction, with the
 * semantics of `IdentityService.resolve` applied one observation after another, at bulk cost: one SELECT for
 * the batch's known identities, one for their customers, one for tombstones, multi-row INSERTs for new
 * customers and identities. Only the two outcomes that need no judgement take this path — nothing
 * known (create) and one active customer that simply gains identities the planner accepts (attach); everything
 * else (merges, refused links, phones, erased or merged owners) goes through `IdentityService.resolve` itself,
 * after the bulk writes, so results stay identical to resolving the observations in order.
 *
 * Evidence differs in form only: identities of a customer the batch creates carry `<source>#<sync run>` and no
 * identity_links row (one row per identity doubled the rows a million-follower sync writes; the run is on the
 * identity itself); identities attached to an existing customer get their identity_links row, as in the single
 * path.
 */
export class BulkIdentityResolver {
  constructor(private readonly deps: BulkResolverDeps) {}

  /**
   * `expectNew`: the caller expects nobody in the batch to be known (the previous batch of a first sync created
   * everyone), so the batch is first inserted outright (optimistic-create.ts) and resolved below only if that
   * meets an existing identity.
   */
  async resolve(
    db: Db,
    batch: readonly BulkObservation[],
    ev: { source: string; syncRunId: string | null; expectNew?: boolean },
  ): Promise<BulkResolution> {
    if (ev.expectNew) {
      const created = await createAllOrNothing(db, batch, { source: sourceOf(ev), now: new Date(this.deps.now()) });
      if (created) return created;
    }
    const now = new Date(this.deps.now());
    const refs = batch.map((o) => cleanRefs(o.identities));
    const out: BulkResolution = { customerIds: batch.map(() => null), created: 0, attached: 0, single: 0 };
    const singles: number[] = [];
    const bulkIdx = refs
      .map((r, i) => (r.some((x) => x.type === 'phone') ? (singles.push(i), -1) : i))
      .filter((i) => i >= 0);
    const groups = groupObservations(bulkIdx.map((i) => refs[i]!)).map((g) => ({
      ...g,
      members: g.members.map((m) => bulkIdx[m]!),
    }));

    const found = await findIdentitiesBulk(
      db,
      groups.flatMap((g) => g.refs),
    );
    const owners = new Map(found.map((i) => [identityKey(i), i.customerId]));
    const customers = new Map((await findCustomers(db, [...new Set(owners.values())], true)).map((c) => [c.id, c]));
    const groupsPerOwner = new Map<string, number>();
    const ownerOf = groups.map((g) => [...new Set(g.refs.flatMap((r) => owners.get(identityKey(r)) ?? []))]);
    for (const ids of ownerOf) for (const id of ids) groupsPerOwner.set(id, (groupsPerOwner.get(id) ?? 0) + 1);

    const creates: typeof groups = [];
    const attaches: { group: (typeof groups)[number]; customer: StoredCustomer }[] = [];
    groups.forEach((g, gi) => {
      const ids = ownerOf[gi]!;
      const customer = ids.length === 1 ? customers.get(ids[0]!) : undefined;
      if (ids.length === 0 && !hasSlotClash(g.refs)) creates.push(g);
      else if (customer && customer.status === 'active' && groupsPerOwner.get(customer.id) === 1)
        attaches.push({ group: g, customer });
      else singles.push(...g.members);
    });

    // A customer who already holds every identity observed gains nothing: no plan, so no read of its identities
    // (a re-sync, or a group sync meeting the corp's contacts, is mostly such observations).
    const holdsAll = (a: (typeof attaches)[number]) =>
      a.group.refs.every((r) => owners.get(identityKey(r)) === a.customer.id);
    const known = await this.knownCustomers(
      db,
      attaches.filter((a) => !holdsAll(a)).map((a) => a.customer),
    );
    const createdIdentities: NewIdentityRow[] = [];
    const attachedIdentities: NewIdentityRow[] = [];
    const plannedAttach = attaches.flatMap((a) => {
      const { group, customer } = a;
      if (holdsAll(a)) return [{ group, customer, attach: [] as IdentityRef[] }];
      const plan = planResolution({
        refs: group.refs,
        owners,
        customers: new Map([[customer.id, known.get(customer.id)!]]),
      });
      if (plan.merges.length > 0 || plan.conflicts.length > 0) {
        singles.push(...group.members);
        return [];
      }
      return [{ group, customer, attach: plan.attach }];
    });

    const unknownRefs = [...creates.flatMap((g) => g.refs), ...plannedAttach.flatMap((a) => a.attach)];
    const erased =
      unknownRefs.length > 0 && (await anyTombstones(db))
        ? await tombstonedHashes(
            db,
            unknownRefs.map((r) => this.deps.hasher.hash(r)),
          )
        : new Set<string>();
    const isErased = (rs: readonly IdentityRef[]) =>
      erased.size > 0 && rs.some((r) => erased.has(this.deps.hasher.hash(r)));

    const creating = creates.filter((g) => !isErased(g.refs));
    const ids = uuidv7Batch(creating.length, now.getTime());
    const newCustomers = creating.map((g, gi) => {
      const profile = foldProfile(g.members.map((m) => batch[m]!.profile));
      const id = ids[gi]!;
      for (const ref of g.refs) createdIdentities.push({ customerId: id, ref });
      for (const m of g.members) out.customerIds[m] = id;
      return { id, displayName: profile.displayName ?? null, avatarUrl: profile.avatarUrl ?? null };
    });
    for (const a of plannedAttach) {
      if (isErased(a.attach)) continue;
      for (const ref of a.attach) attachedIdentities.push({ customerId: a.customer.id, ref });
      out.attached += a.attach.length;
      for (const m of a.group.members) out.customerIds[m] = a.customer.id;
      await this.applyProfile(db, a.customer, foldProfile(a.group.members.map((m) => batch[m]!.profile)), now);
    }
    const source = sourceOf(ev);
    await insertCustomersBulk(db, newCustomers, now);
    await insertIdentitiesBulk(db, createdIdentities, { source, syncRunId: ev.syncRunId, now, links: false });
    await insertIdentitiesBulk(db, attachedIdentities, { source, syncRunId: ev.syncRunId, now, links: true });
    out.created = newCustomers.length;
    await recordCustomersCreated(
      db,
      newCustomers.map((c) => c.id),
      createdIdentities,
      source,
      now,
    );
    await recordIdentitiesLinked(db, attachedIdentities, source, now);

    for (const i of singles.sort((a, b) => a - b)) {
      const r = await this.deps.identity.resolve(db, {
        identities: batch[i]!.identities,
        source: ev.source,
        ...(batch[i]!.profile ? { profile: batch[i]!.profile } : {}),
      });
      out.customerIds[i] = r.customerId;
      if (r.created) out.created++;
      out.attached += r.attached.length;
    }
    out.single = singles.length;
    return out;
  }

  private async knownCustomers(db: Db, customers: StoredCustomer[]): Promise<Map<string, KnownCustomer>> {
    const all = await identitiesOfCustomers(
      db,
      customers.map((c) => c.id),
      true,
    );
    const byCustomer = new Map<string, IdentityRef[]>();
    for (const i of all) {
      let list = byCustomer.get(i.customerId);
      if (!list) byCustomer.set(i.customerId, (list = []));
      list.push(i);
    }
    return new Map(
      customers.map((c) => [
        c.id,
        { id: c.id, createdAt: c.createdAt.getTime(), identities: byCustomer.get(c.id) ?? [] },
      ]),
    );
  }

  /** As IdentityService: a non-empty display name / avatar that differs replaces the stored one. */
  private async applyProfile(db: Db, c: StoredCustomer, p: Profile, now: Date): Promise<void> {
    const fields: { displayName?: string; avatarUrl?: string } = {};
    if (p.displayName && p.displayName !== c.displayName) fields.displayName = p.displayName.slice(0, 128);
    if (p.avatarUrl && p.avatarUrl !== c.avatarUrl) fields.avatarUrl = p.avatarUrl.slice(0, 512);
    if (Object.keys(fields).length > 0) await updateCustomer(db, c.id, fields, now);
  }
}

/**
 * The run is part of the identity's source, so a customer the sync creates carries its evidence on its own
 * identity rows; identity_links rows record what is linked to a customer that already existed.
 */
export function sourceOf(ev: { source: string; syncRunId: string | null }): string {
  return ev.syncRunId ? `${ev.source}#${ev.syncRunId}` : ev.source;
}
