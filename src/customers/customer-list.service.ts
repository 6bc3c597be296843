import type { Role } from '../auth/roles';
import { customerColumns, toCustomer, type StoredCustomer } from '../storage/customers/customer.repository';
import { identitiesOfCustomers, type StoredIdentity } from '../storage/identity/identity.repository';
import type { PhoneCrypto } from '../security/phone-crypto';
import { type Db, idString, select } from '../storage/sql';
import { filterSql, type CustomerFilter, type IdentityScope } from './customer-filter';
import type { CustomerListItem, CustomerPage } from './customers-api.types';
import type { NameExtras, ProfileService } from './profile.service';

const COLUMNS = customerColumns('c');

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
      this.tagsOf(db, ids),
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
    const f = filterSql(filter, this.deps.scopes, matchPhones ? this.deps.phoneCrypto : undefined);
    const where = [...f.where];
    const params = [...f.params];
    if (page.cursor) {
      where.push('c.id < ?');
      params.push(page.cursor);
    }
    const sql = `SELECT ${COLUMNS} FROM ${f.from} WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT ${Math.trunc(page.limit) + 1}`;
    return (await select(db, sql, params)).map(toCustomer);
  }

  /** WeCom and OA remarks of the customers shown without a display name (their best name, best-name.ts). */
  private async remarksOf(db: Db, ids: string[]): Promise<Map<string, NameExtras>> {
    const out = new Map<string, NameExtras>();
    if (ids.length === 0) return out;
    const list = ids.map(() => '?').join(', ');
    const [follows, subscriptions] = await Promise.all([
      select<{ customer_id: string; remark: string; deleted: unknown }>(
        db,
        `SELECT customer_id, remark, deleted FROM wecom_follows WHERE customer_id IN (${list}) AND remark IS NOT NULL AND remark <> '' ORDER BY id`,
        ids,
      ),
      select<{ customer_id: string; remark: string }>(
        db,
        `SELECT customer_id, remark FROM oa_subscriptions WHERE customer_id IN (${list}) AND remark IS NOT NULL AND remark <> '' ORDER BY id`,
        ids,
      ),
    ]);
    const of = (id: string) => {
      let e = out.get(id);
      if (!e) out.set(id, (e = { follows: [], subscriptions: [] }));
      return e as { follows: { remark: unknown; deleted: boolean }[]; subscriptions: { remark: unknown }[] };
    };
    for (const f of follows)
      of(f.customer_id).follows.push({ remark: f.remark, deleted: Number(f.deleted) === 1 || f.deleted === true });
    for (const r of subscriptions) of(r.customer_id).subscriptions.push({ remark: r.remark });
    return out;
  }

  private async tagsOf(db: Db, ids: string[]): Promise<Map<string, CustomerListItem['tags']>> {
    const out = new Map<string, CustomerListItem['tags']>();
    if (ids.length === 0) return out;
    const rows = await select<{
      customer_id: string;
      id: unknown;
      name: string;
      source: string;
      group_name: string | null;
    }>(
      db,
      `SELECT ct.customer_id, t.id, t.name, ct.source, g.name AS group_name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
        LEFT JOIN tag_groups g ON g.id = t.group_id
        WHERE ct.customer_id IN (${ids.map(() => '?').join(', ')}) AND t.deleted_at IS NULL ORDER BY t.name, ct.source`,
      ids,
    );
    for (const r of rows)
      out.set(r.customer_id, [
        ...(out.get(r.customer_id) ?? []),
        { id: idString(r.id), name: r.name, source: r.source, groupName: r.group_name ?? null },
      ]);
    return out;
  }
}
