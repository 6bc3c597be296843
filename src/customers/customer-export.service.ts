import type { Role } from '../auth/roles';
import { maskValue, readValue } from '../attributes/attribute-values';
import type { PhoneCrypto } from '../security/phone-crypto';
import { listDefinitions } from '../storage/attributes/attribute-definition.repository';
import { attributesOfCustomers, rfmOfCustomers } from '../storage/customers/customer-export.repository';
import { searchCustomers } from '../storage/customers/customer-search.repository';
import { findCustomers, type StoredCustomer } from '../storage/customers/customer.repository';
import { identitiesOfCustomers, type StoredIdentity } from '../storage/identity/identity.repository';
import type { Db } from '../storage/sql';
import { pageHolders, tagsOfCustomers } from '../storage/tags/customer-tag.repository';
import type { CustomerFilter, IdentityScope } from './customer-filter';
import { UTF8_BOM, csvHeader, csvLine, ndjsonLine, type ExportFormat, type ExportedCustomer } from './export-format';
import type { ProfileService } from './profile.service';

/** Customers read, enriched and written per page: memory holds one page whatever the export's size. */
const PAGE = 500;

/** Which customers an export covers: a list filter (`GET /customers` semantics) or a segment's members. */
export type ExportSource = { filter: CustomerFilter } | { segmentTagId: string };

/**
 * Streamed exports (DESIGN §11): keyset pages of customers, each page's identities, tags, custom fields and
 * purchases read in one query apiece, formatted and handed to the response before the next page is read. Phones
 * and pii fields are masked unless the reader is an admin.
 */
export class CustomerExportService {
  constructor(
    private readonly deps: { profiles: ProfileService; phoneCrypto: PhoneCrypto; scopes: readonly IdentityScope[] },
  ) {}

  async *stream(db: Db, source: ExportSource, format: ExportFormat, role: Role): AsyncGenerator<string> {
    const definitions = (await listDefinitions(db)).sort((a, b) => a.key.localeCompare(b.key));
    const keys = definitions.map((d) => d.key);
    if (format === 'csv') yield UTF8_BOM + csvHeader(keys);
    for await (const page of this.pages(db, source)) {
      const rows = await this.enrich(db, page, role, definitions);
      yield rows.map((c) => (format === 'csv' ? csvLine(c, keys) : ndjsonLine(c))).join('');
    }
  }

  private async *pages(db: Db, source: ExportSource): AsyncGenerator<StoredCustomer[]> {
    if ('filter' in source) {
      let before: string | undefined;
      for (;;) {
        const rows = await searchCustomers(
          db,
          { filter: source.filter, scopes: this.deps.scopes, phones: this.deps.phoneCrypto },
          { rows: PAGE, ...(before ? { before } : {}) },
        );
        if (rows.length > 0) yield rows;
        if (rows.length < PAGE) return;
        before = rows[rows.length - 1]!.id;
      }
    }
    let after = '';
    for (;;) {
      const ids = await pageHolders(db, source.segmentTagId, 'rule', after, PAGE);
      if (ids.length === 0) return;
      const rows = (await findCustomers(db, ids)).filter((c) => c.status === 'active');
      if (rows.length > 0) yield rows.sort((a, b) => (a.id < b.id ? -1 : 1));
      if (ids.length < PAGE) return;
      after = ids[ids.length - 1]!;
    }
  }

  private async enrich(
    db: Db,
    page: readonly StoredCustomer[],
    role: Role,
    definitions: Awaited<ReturnType<typeof listDefinitions>>,
  ): Promise<ExportedCustomer[]> {
    const ids = page.map((c) => c.id);
    const [identities, tags, attributes, rfm] = await Promise.all([
      identitiesOfCustomers(db, ids),
      tagsOfCustomers(db, ids),
      attributesOfCustomers(db, ids),
      rfmOfCustomers(db, ids),
    ]);
    const byCustomer = new Map<string, StoredIdentity[]>();
    for (const i of identities) {
      const list = byCustomer.get(i.customerId);
      if (list) list.push(i);
      else byCustomer.set(i.customerId, [i]);
    }
    const defs = new Map(definitions.map((d) => [d.key, d]));
    const attrs = new Map<string, Record<string, unknown>>();
    for (const a of attributes) {
      const d = defs.get(a.key);
      if (!d) continue;
      const value = readValue(d.type, a, this.deps.phoneCrypto);
      if (value === undefined) continue;
      const shown = d.pii && role !== 'admin' ? maskValue(value) : value;
      const own = attrs.get(a.customerId) ?? {};
      own[a.key] = shown;
      attrs.set(a.customerId, own);
    }
    return page.map((c) => {
      const s = this.deps.profiles.summary(c, byCustomer.get(c.id) ?? [], role);
      const r = rfm.get(c.id);
      return {
        id: c.id,
        name: s.name,
        displayName: s.displayName,
        phone: s.phone,
        createdAt: s.createdAt,
        identities: s.identities.map((i) => ({ type: i.type, scope: i.scope, value: i.value })),
        tags: (tags.get(c.id) ?? []).map((t) => ({ id: t.id, name: t.name, source: t.source })),
        attributes: attrs.get(c.id) ?? {},
        rfm: {
          orders: r?.orders ?? 0,
          totalSpentFen: r ? r.paidFen - r.refundedFen : 0,
          totalRefundedFen: r?.refundedFen ?? 0,
          lastPurchaseAt: r?.lastPurchaseAt?.toISOString() ?? null,
        },
      };
    });
  }
}
