import type { IdentityRef } from '../../connectors/common/identity-types';
import type { SiyuConfig } from '../../config';
import { PhoneCrypto } from '../security/phone-crypto';
import { IdentityHasher } from '../security/identity-hash';
import { uuidv7 } from '../storage/ids';
import type { Db } from '../storage/sql';
import {
  type StoredCustomer,
  findCustomers,
  insertCustomer,
  survivorOf,
  updateCustomer,
} from '../storage/customers/customer.repository';
import { cleanRefs, identityKey } from './identity-keys';
import type { IdentityCache } from './identity-cache';
import {
  type StoredIdentity,
  anyTombstone,
  tombstonedAmong,
  lockIdentities,
  deleteIdentity,
  findIdentities,
  identitiesOfCustomers,
  insertIdentity,
  insertLink,
  moveIdentitiesOf,
  refreshIdentity,
} from '../storage/identity/identity.repository';
import { recordConflicts } from '../storage/identity/identity-conflict.repository';
import { mergeCustomers } from './merge.service';
import { recordCustomersCreated, recordIdentitiesLinked } from './identity-webhook-events';
import { recordWebhookEvents } from '../webhooks/webhook-event.writer';
import { undoneMergePairs } from '../storage/identity/merge-log.repository';
import { type KnownCustomer, pairKey, planResolution } from './resolution-plan';

/** What one piece of evidence says: these identities belong to one person (DESIGN §4). */
export interface Observation {
  identities: IdentityRef[];
  /** e.g. `oa.subscribe`, `wecom.change_external_contact`, `mp.phone`; recorded on links and merges. */
  source: string;
  /** Only verified evidence may carry a phone (mini-program phone number API). */
  verified?: boolean;
  profile?: { displayName?: string; avatarUrl?: string };
  inboxId?: string | null;
}

export interface Resolution {
  /** The (surviving) customer the identities now belong to; null when nothing linkable or the person was erased. */
  customerId: string | null;
  created: boolean;
  attached: IdentityRef[];
  /** merge_log ids written by this resolution. */
  merges: string[];
  conflicts: number;
  erased: boolean;
}

export interface IdentityServiceDeps {
  phoneCrypto: PhoneCrypto;
  hasher: IdentityHasher;
  /** `identity.mergeByPhone`: false makes a verified phone an attribute that never merges customers. */
  mergeByPhone: boolean;
  now: () => number;
}

/** `scope` of every phone identity. */
export const PHONE_SCOPE = 'default';

const NONE: Resolution = { customerId: null, created: false, attached: [], merges: [], conflicts: 0, erased: false };

/**
 * Identity resolution (DESIGN §4) inside the caller's transaction: attach, merge by the survivor rule, refuse
 * second values of a one-per-person type, phone rules, tombstones. Identities and customers are read with row
 * locks on MySQL; a race with another resolver ends in a duplicate key or deadlock, which the caller's
 * `retryingTransaction` turns into a rerun that sees the winner's rows. Running it twice changes nothing.
 */
export class IdentityService {
  constructor(private readonly deps: IdentityServiceDeps) {}

  /**
   * `cache`: what this transaction already read (an inbox batch's prefetch); the resolution reads only what it
   * lacks and keeps it true for the resolutions after it.
   */
  async resolve(db: Db, obs: Observation, cache?: IdentityCache): Promise<Resolution> {
    const now = new Date(this.deps.now());
    const prepared = this.prepare(obs);
    const { phone, phoneAttribute } = prepared;
    if (prepared.linkRefs.length === 0) return NONE;

    // An OA's web-OAuth openid and its follower openid are the same id for the same person (one appid), so a
    // sibling already on file joins the observation: looked up in the same query, added only when it exists.
    const siblings = openidSiblings(prepared.linkRefs);
    const lookup = [...prepared.linkRefs, ...siblings];
    let found = cache?.identitiesOf(lookup);
    if (!found) {
      found = await findIdentities(db, lookup, true);
      cache?.rememberIdentities(lookup, found);
    }
    const foundKeys = new Set(found.map(identityKey));
    const linkRefs = [...prepared.linkRefs, ...siblings.filter((s) => foundKeys.has(identityKey(s)))];
    const ownerIds = [...new Set(found.map((i) => i.customerId))];
    let customers = cache?.customersOf(ownerIds);
    if (!customers) {
      customers = await findCustomers(db, ownerIds, true);
      cache?.rememberCustomers(customers);
    }
    if (customers.some((c) => c.status === 'erased')) return { ...NONE, erased: true };
    if (customers.some((c) => c.status !== 'active')) {
      cache?.clear();
      return this.resolveAfterMergedOwners(db, obs, customers, cache);
    }

    // The common case: every identity is known and belongs to one customer.
    if (found.length === linkRefs.length && customers.length === 1 && !phone && !phoneAttribute) {
      const only = customers[0]!;
      const changed = await this.applyProfile(db, only, obs, now);
      if (changed) cache?.rememberCustomers([{ ...only, ...changed }]);
      return { ...NONE, customerId: only.id };
    }
    if (found.length < linkRefs.length) {
      const unknown = linkRefs.filter((r) => !foundKeys.has(identityKey(r)));
      const extra = phoneAttribute ? [phoneAttribute] : [];
      const hashes = [...unknown, ...extra].map((r) => this.deps.hasher.hash(r));
      if (!cache?.untombstonedAll(hashes) && (await anyTombstone(db, hashes))) return { ...NONE, erased: true };
    }
    const result = await this.resolveInDatabase(
      db,
      obs,
      prepared,
      { linkRefs, found, ownerIds, customers },
      now,
      cache,
    );
    if (!cache) return result;
    // Merges and phone changes move identities between customers: the cache forgets rather than follow them.
    if (result.merges.length > 0 || phone || phoneAttribute) cache.clear();
    return result;
  }

  /** Prefetch for a batch of observations: their identities, owners and tombstones, read and locked at once. */
  async prefetch(db: Db, refs: readonly IdentityRef[], cache: IdentityCache): Promise<void> {
    const own = cleanRefs(refs).filter((r) => r.type !== 'phone');
    const lookup = [...own, ...openidSiblings(own)];
    if (lookup.length === 0) return;
    const found = await lockIdentities(db, lookup);
    cache.rememberIdentities(lookup, found);
    const ownerIds = [...new Set(found.map((i) => i.customerId))].sort();
    // Not their other identities: locking those through the customer index, after the identities locked by key
    // above, deadlocks concurrent batches that share customers. A resolution that attaches reads them (and keeps them).
    if (ownerIds.length > 0) cache.rememberCustomers(await findCustomers(db, ownerIds, true));
    const foundKeys = new Set(found.map(identityKey));
    const hashes = lookup.filter((r) => !foundKeys.has(identityKey(r))).map((r) => this.deps.hasher.hash(r));
    if (hashes.length === 0) return;
    const tombstoned = await tombstonedAmong(db, hashes);
    cache.rememberUntombstoned(hashes.filter((h) => !tombstoned.has(h)));
  }

  /** The rest of a resolution: create, merge, attach, conflicts and phones, as planned from what was read. */
  private async resolveInDatabase(
    db: Db,
    obs: Observation,
    prepared: ReturnType<IdentityService['prepare']>,
    read: { linkRefs: IdentityRef[]; found: StoredIdentity[]; ownerIds: string[]; customers: StoredCustomer[] },
    now: Date,
    cache: IdentityCache | undefined,
  ): Promise<Resolution> {
    const { phone, phoneAttribute, encrypted } = prepared;
    const { linkRefs, found, ownerIds, customers } = read;

    let all = cache?.identitiesOfCustomers(ownerIds);
    if (!all) {
      all = await identitiesOfCustomers(db, ownerIds, true);
      cache?.rememberIdentitiesOfCustomers(ownerIds, all);
    }
    const known = new Map<string, KnownCustomer>(
      customers.map((c) => [
        c.id,
        { id: c.id, createdAt: c.createdAt.getTime(), identities: all.filter((i) => i.customerId === c.id) },
      ]),
    );
    const owners = new Map(found.map((i) => [identityKey(i), i.customerId]));
    const separatedPairs =
      ownerIds.length > 1
        ? new Set((await undoneMergePairs(db, ownerIds)).map((p) => pairKey(p.survivorId, p.mergedId)))
        : undefined;
    const plan = planResolution({ refs: linkRefs, owners, customers: known, separatedPairs });

    let survivor: StoredCustomer;
    let created = false;
    if (plan.survivorId) {
      survivor = customers.find((c) => c.id === plan.survivorId)!;
    } else {
      survivor = await this.createCustomer(db, obs, now);
      created = true;
    }
    const merges: string[] = [];
    if (plan.merges.length > 0) await cache?.beforeMerge?.();
    for (const mergedId of plan.merges) {
      const merged = customers.find((c) => c.id === mergedId)!;
      merges.push(
        await mergeCustomers(
          db,
          survivor,
          merged,
          obs.source,
          { identities: linkRefs, source: obs.source, inboxId: obs.inboxId ?? null },
          now,
        ),
      );
      for (const f of ['displayName', 'avatarUrl', 'phoneEnc'] as const)
        if (survivor[f] === null) survivor = { ...survivor, [f]: merged[f] };
    }
    for (const ref of plan.attach) {
      const stored = await this.attach(
        db,
        survivor.id,
        ref,
        encrypted.get(ref.value) ?? null,
        !!obs.verified,
        obs,
        now,
      );
      cache?.rememberAttached(stored, created);
    }
    if (created) cache?.rememberCustomers([survivor]);
    const conflicts = await recordConflicts(
      db,
      plan.conflicts,
      survivor.id,
      { source: obs.source, identities: linkRefs, inboxId: obs.inboxId ?? null },
      now,
    );

    const ownsPhone =
      phone &&
      (plan.attach.some((r) => identityKey(r) === identityKey(phone)) ||
        [survivor.id, ...plan.merges].includes(owners.get(identityKey(phone)) ?? ''));
    if (phone && ownsPhone) await this.switchPhone(db, survivor, phone, encrypted.get(phone.value)!, obs, now);
    if (phoneAttribute)
      await this.setPhoneAttribute(db, survivor, phoneAttribute, encrypted.get(phoneAttribute.value)!, obs, now);
    const changed = await this.applyProfile(db, survivor, obs, now);
    if (changed && cache?.customersOf([survivor.id])) cache.rememberCustomers([{ ...survivor, ...changed }]);
    if (created)
      await recordCustomersCreated(
        db,
        [survivor.id],
        plan.attach.map((ref) => ({ customerId: survivor.id, ref })),
        obs.source,
        now,
      );
    await recordIdentitiesLinked(
      db,
      plan.attach.map((ref) => ({ customerId: survivor.id, ref })),
      obs.source,
      now,
    );
    if (merges.length > 0)
      await recordWebhookEvents(
        db,
        'customer.merged',
        plan.merges.map((mergedId, i) => ({
          customerId: survivor.id,
          mergedId,
          mergeId: merges[i],
          reason: obs.source,
        })),
        now,
      );
    return { customerId: survivor.id, created, attached: plan.attach, merges, conflicts, erased: false };
  }

  /** The customer holding this identity now (merges followed), or undefined. Never creates one. */
  async findCustomerId(db: Db, ref: IdentityRef): Promise<string | undefined> {
    const [identity] = await findIdentities(db, [this.storedRef(ref)]);
    if (!identity) return undefined;
    const c = await survivorOf(db, identity.customerId);
    return c && c.status === 'active' ? c.id : undefined;
  }

  /** The key an identity is stored under: a phone number as its keyed hash in the one phone scope. */
  storedRef(ref: IdentityRef): IdentityRef {
    return ref.type === 'phone'
      ? { type: ref.type, scope: PHONE_SCOPE, value: this.deps.phoneCrypto.hash(ref.value) }
      : ref;
  }

  /**
   * Phones become keyed hashes (ciphertext kept aside); unverified phones are dropped (DESIGN §4: phone links
   * only from verified sources); with mergeByPhone off the phone is set aside as an attribute.
   */
  private prepare(obs: Observation) {
    const encrypted = new Map<string, string>();
    const linkRefs: IdentityRef[] = [];
    let phone: IdentityRef | undefined;
    let phoneAttribute: IdentityRef | undefined;
    for (const r of cleanRefs(obs.identities)) {
      if (r.type !== 'phone') {
        linkRefs.push(r);
        continue;
      }
      if (!obs.verified) continue;
      // One scope for every phone: the same number from any verified source is the same identity.
      const hashed: IdentityRef = { type: 'phone', scope: PHONE_SCOPE, value: this.deps.phoneCrypto.hash(r.value) };
      encrypted.set(hashed.value, this.deps.phoneCrypto.encrypt(r.value));
      if (this.deps.mergeByPhone) {
        linkRefs.push(hashed);
        phone = hashed;
      } else {
        phoneAttribute = hashed;
      }
    }
    if (phoneAttribute && linkRefs.length === 0) phoneAttribute = undefined;
    return { linkRefs, phone, phoneAttribute, encrypted };
  }

  private async createCustomer(db: Db, obs: Observation, now: Date): Promise<StoredCustomer> {
    const c: StoredCustomer = {
      id: uuidv7(now.getTime()),
      status: 'active',
      mergedIntoId: null,
      displayName: obs.profile?.displayName ?? null,
      avatarUrl: obs.profile?.avatarUrl ?? null,
      phoneEnc: null,
      createdAt: now,
      updatedAt: now,
    };
    await insertCustomer(db, { id: c.id, now, displayName: c.displayName, avatarUrl: c.avatarUrl });
    return c;
  }

  /**
   * A person who verifies a new number has switched phones: the newest verified number is the customer's phone
   * and older phone identities are released, so a recycled number cannot later pull its new owner into this
   * person. The release is recorded as a link row with source `phone.replaced`.
   */
  private async switchPhone(
    db: Db,
    customer: StoredCustomer,
    phone: IdentityRef,
    enc: string,
    obs: Observation,
    now: Date,
  ): Promise<void> {
    const phones = (await identitiesOfCustomers(db, [customer.id])).filter((i) => i.type === 'phone');
    for (const old of phones) {
      if (old.value === phone.value) continue;
      await deleteIdentity(db, old.id);
      await insertLink(db, {
        customerId: customer.id,
        identityId: old.id,
        source: 'phone.replaced',
        inboxId: obs.inboxId ?? null,
        now,
      });
    }
    const current = phones.find((p) => p.value === phone.value);
    if (current && !current.verified) await refreshIdentity(db, current.id, enc, true, now);
    await updateCustomer(db, customer.id, { phoneEnc: enc }, now);
  }

  /** mergeByPhone off: the number is stored on the customer and as an identity only if nobody holds it yet. */
  private async setPhoneAttribute(
    db: Db,
    customer: StoredCustomer,
    phone: IdentityRef,
    enc: string,
    obs: Observation,
    now: Date,
  ): Promise<void> {
    await updateCustomer(db, customer.id, { phoneEnc: enc }, now);
    const [held] = await findIdentities(db, [phone], true);
    if (held) return;
    await this.attach(db, customer.id, phone, enc, true, obs, now);
  }

  /** A new identity of the customer and the link row that is its evidence (DESIGN §4). */
  private async attach(
    db: Db,
    customerId: string,
    ref: IdentityRef,
    valueEnc: string | null,
    verified: boolean,
    obs: Observation,
    now: Date,
  ): Promise<StoredIdentity> {
    const id = await insertIdentity(db, { customerId, ref, valueEnc, source: obs.source, verified, now });
    await insertLink(db, { customerId, identityId: id, source: obs.source, inboxId: obs.inboxId ?? null, now });
    return { ...ref, id, customerId, valueEnc, source: obs.source, verified, createdAt: now };
  }

  /** Returns the fields it changed, if any. */
  private async applyProfile(
    db: Db,
    customer: StoredCustomer,
    obs: Observation,
    now: Date,
  ): Promise<{ displayName?: string; avatarUrl?: string } | undefined> {
    const p = obs.profile;
    if (!p) return undefined;
    const fields: { displayName?: string; avatarUrl?: string } = {};
    if (p.displayName && p.displayName !== customer.displayName) fields.displayName = p.displayName.slice(0, 128);
    if (p.avatarUrl && p.avatarUrl !== customer.avatarUrl) fields.avatarUrl = p.avatarUrl.slice(0, 512);
    if (Object.keys(fields).length === 0) return undefined;
    await updateCustomer(db, customer.id, fields, now);
    return fields;
  }

  /**
   * An identity still pointing at a merged customer (only possible with rows written outside this service):
   * move it to the survivor first, then resolve normally.
   */
  private async resolveAfterMergedOwners(
    db: Db,
    obs: Observation,
    customers: StoredCustomer[],
    cache: IdentityCache | undefined,
  ): Promise<Resolution> {
    for (const c of customers.filter((x) => x.status === 'merged')) {
      const target = await survivorOf(db, c.id);
      if (!target || target.status !== 'active') return { ...NONE, erased: target?.status === 'erased' };
      await moveIdentitiesOf(db, c.id, target.id);
    }
    return this.resolve(db, obs, cache);
  }
}

/** oa_openid ↔ h5_openid of the same appid and value (wechat-api.md §7: web OAuth in an OA yields its openid). */
function openidSiblings(refs: readonly IdentityRef[]): IdentityRef[] {
  const have = new Set(refs.map(identityKey));
  const out: IdentityRef[] = [];
  for (const r of refs) {
    const other = r.type === 'oa_openid' ? 'h5_openid' : r.type === 'h5_openid' ? 'oa_openid' : undefined;
    if (!other) continue;
    const sib: IdentityRef = { type: other, scope: r.scope, value: r.value };
    if (!have.has(identityKey(sib))) {
      have.add(identityKey(sib));
      out.push(sib);
    }
  }
  return out;
}

/** The identity service of a config: phone and identity keys derived once from `security.dataKey`. */
export function createIdentityService(app: { config: SiyuConfig; now(): number }): IdentityService {
  const key = app.config.security.dataKey;
  return new IdentityService({
    phoneCrypto: new PhoneCrypto(key),
    hasher: new IdentityHasher(key),
    mergeByPhone: app.config.identity.mergeByPhone,
    now: () => app.now(),
  });
}
