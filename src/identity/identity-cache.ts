import type { IdentityRef } from '../../connectors/common/identity-types';
import type { StoredCustomer } from '../storage/customers/customer.repository';
import type { StoredIdentity } from '../storage/identity/identity.repository';
import { identityKey } from './identity-keys';

/**
 * What one transaction has already read, with row locks, of identities, their customers and tombstones
 * (DESIGN §4), so that resolving a person it already holds costs no statement. An inbox batch fills it for all
 * of its rows at once (IdentityService.prefetch). Resolutions keep it true: what they attach and create is
 * added, and anything else they write (merges, phones, identities moved off merged customers) empties it, as
 * does any other writer of identities inside the transaction (the applier's privacy events).
 */
export class IdentityCache {
  /** identityKey → the stored row, or null where the transaction read that no such identity exists. */
  private readonly identities = new Map<string, StoredIdentity | null>();
  private readonly customers = new Map<string, StoredCustomer>();
  /** Every identity of a customer, for the customers whose identities were all read. */
  private readonly byCustomer = new Map<string, StoredIdentity[]>();
  /** Identity hashes read to have no erasure tombstone. */
  private readonly untombstoned = new Set<string>();
  /** Run before a resolution merges customers: work the transaction deferred must land on the rows a merge moves. */
  beforeMerge: (() => Promise<void>) | undefined;

  /** The stored rows of `refs` when every one of them was read (present or absent); undefined otherwise. */
  identitiesOf(refs: readonly IdentityRef[]): StoredIdentity[] | undefined {
    const out: StoredIdentity[] = [];
    for (const r of refs) {
      const hit = this.identities.get(identityKey(r));
      if (hit === undefined) return undefined;
      if (hit) out.push(hit);
    }
    return out;
  }

  /** These customers when every one of them was read; undefined otherwise. */
  customersOf(ids: readonly string[]): StoredCustomer[] | undefined {
    const out: StoredCustomer[] = [];
    for (const id of ids) {
      const c = this.customers.get(id);
      if (!c) return undefined;
      out.push(c);
    }
    return out;
  }

  /** Every identity of each of these customers when all of them were read; undefined otherwise. */
  identitiesOfCustomers(ids: readonly string[]): StoredIdentity[] | undefined {
    const out: StoredIdentity[] = [];
    for (const id of ids) {
      const list = this.byCustomer.get(id);
      if (!list) return undefined;
      out.push(...list);
    }
    return out;
  }

  /** Whether every hash was read to have no tombstone. */
  untombstonedAll(hashes: readonly string[]): boolean {
    return hashes.every((h) => this.untombstoned.has(h));
  }

  /** What a locking read of `refs` found: the rest of them are known not to exist. */
  rememberIdentities(refs: readonly IdentityRef[], found: readonly StoredIdentity[]): void {
    for (const r of refs) this.identities.set(identityKey(r), null);
    for (const i of found) this.identities.set(identityKey(i), i);
  }

  /** What a locking read of these customers' identities found: all of them, whatever their type. */
  rememberIdentitiesOfCustomers(ids: readonly string[], found: readonly StoredIdentity[]): void {
    for (const id of ids) this.byCustomer.set(id, []);
    for (const i of found) {
      this.byCustomer.get(i.customerId)?.push(i);
      this.identities.set(identityKey(i), i);
    }
  }

  /** An identity the transaction attached (to a customer it just created, or to one already read). */
  rememberAttached(identity: StoredIdentity, customerCreated: boolean): void {
    this.identities.set(identityKey(identity), identity);
    if (customerCreated && !this.byCustomer.has(identity.customerId)) this.byCustomer.set(identity.customerId, []);
    this.byCustomer.get(identity.customerId)?.push(identity);
  }

  rememberCustomers(customers: readonly StoredCustomer[]): void {
    for (const c of customers) this.customers.set(c.id, c);
  }

  rememberUntombstoned(hashes: Iterable<string>): void {
    for (const h of hashes) this.untombstoned.add(h);
  }

  /** Forgets everything read: the next resolution reads again. */
  clear(): void {
    this.identities.clear();
    this.customers.clear();
    this.byCustomer.clear();
    this.untombstoned.clear();
  }
}
