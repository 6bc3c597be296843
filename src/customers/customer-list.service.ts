import type { Role } from '../auth/roles';
import type { StoredCustomer } from '../storage/customers/customer.repository';
import { searchCustomers } from '../storage/customers/customer-search.repository';
import { subscriptionRemarksOf } from '../storage/events/oa-subscription.repository';
import { followRemarksOf } from '../storage/events/wecom-follow.repository';
import { tagsOfCustomers } from '../storage/tags/customer-tag.repository';
import { identitiesOfCustomers, type StoredIdentity } from '../storage/identity/identity.repository';
import type { PhoneCrypto } from '../security/phone-crypto';
import type { Db } from '../storage/sql';
import type { CustomerFilter, IdentityScope } from './customer-filter';
import type { CustomerPage } from './customers-api.types';
import type { NameExtras, ProfileService } from './profile.service';

/**
 * `GET /api/v1/customers` (DESIGN §8.3): active customers newest first, keyset-paged on the id (UUIDv7 ids sort
 * by creation), each with identities and tags read in one query per page, phones masked unless admin.
 */
export class CustomerListService {
  constructor(
    private readonly deps: { profiles: ProfileService; phoneCrypto: PhoneCrypto; scopes: readonly IdentityScope[] },
  ) {}

  async list(
    db: Db,
    filter: CustomerFilter,
    page: { limit: number; cursor?: string },
    role: Role,
  ): Promise<CustomerPage> {
    // Viewers see masked phones (DESIGN §7), so their q never matches one: a match would tell them which full
    // number belongs to a customer.
    const customers = await this.page(db, filter, page, role !== 'viewer');
    const more = customers.length > page.limit;
    const rows = customers.slice(0, page.limit);
    const ids = rows.map((c) => c.id);
    const unnamed = rows.filter((c) => !c.displayName?.trim()).map((c) => c.id);
    const [identities, tags, remarks] = await Promise.all([
      identitiesOfCustomers(db, ids),
      tagsOfCustomers(db, ids),
      this.remarksOf(db, unnamed),
    ]);
    const byCustomer = new Map<string, StoredIdentity[]>();
    for (const i of identities) byCustomer.set(i.customerId, [...(byCustomer.get(i.customerId) ?? []), i]);
    return {
      items: rows.map((c) => ({
        ...this.deps.profiles.summary(c, byCustomer.get(c.id) ?? [], role, remarks.get(c.id)),
        tags: tags.get(c.id) ?? [],
      })),
      nextCursor: more ? rows[rows.length - 1]!.id : null,
    };
  }

  /** Ids of every active customer matching the filter, newest first, in pages (bulk tag assignment by filter, operators and up). */
  async *ids(db: Db, filter: CustomerFilter, pageSize = 1000): AsyncGenerator<string[]> {
    let cursor: string | undefined;
    for (;;) {
      const rows = await this.page(db, filter, { limit: pageSize, ...(cursor ? { cursor } : {}) });
      const ids = rows.slice(0, pageSize).map((r) => r.id);
      if (ids.length > 0) yield ids;
      if (rows.length <= pageSize) return;
      cursor = ids[ids.length - 1];
    }
  }

  private async page(
    db: Db,
    filter: CustomerFilter,
    page: { limit: number; cursor?: string },
    matchPhones = true,
  ): Promise<StoredCustomer[]> {
    return searchCustomers(
      db,
      { filter, scopes: this.deps.scopes, ...(matchPhones ? { phones: this.deps.phoneCrypto } : {}) },
      { rows: Math.trunc(page.limit) + 1, ...(page.cursor ? { before: page.cursor } : {}) },
    );
  }

  /** WeCom and OA remarks of the customers shown without a display name (their best name, best-name.ts). */
  private async remarksOf(db: Db, ids: string[]): Promise<Map<string, NameExtras>> {
    const out = new Map<string, NameExtras>();
    if (ids.length === 0) return out;
    const [follows, subscriptions] = await Promise.all([followRemarksOf(db, ids), subscriptionRemarksOf(db, ids)]);
    const of = (id: string) => {
      let e = out.get(id);
      if (!e) out.set(id, (e = { follows: [], subscriptions: [] }));
      return e as { follows: { remark: unknown; deleted: boolean }[]; subscriptions: { remark: unknown }[] };
    };
    for (const f of follows) of(f.customerId).follows.push({ remark: f.remark, deleted: f.deleted });
    for (const r of subscriptions) of(r.customerId).subscriptions.push({ remark: r.remark });
    return out;
  }
}
