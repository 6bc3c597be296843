import type { CustomerFilter, IdentityScope } from '../../customers/customer-filter';
import type { PhoneCrypto } from '../../security/phone-crypto';
import { countMatching, pageMatchingIds } from '../../storage/customers/customer-search.repository';
import type { CustomerTagSource } from '../../storage/entities';
import type { Db } from '../../storage/sql';
import { countHolders, pageHolders } from '../../storage/tags/customer-tag.repository';

/**
 * Who a bulk (un)assignment is about: the customers list filter (`{ q, tag, channel }`, the same SQL as
 * `GET /api/v1/customers`), or every customer holding a tag from one source (a deleted segment's members).
 */
export type Selection = { filter: CustomerFilter } | { holders: { tagId: string; source: CustomerTagSource } };

export async function countSelection(
  db: Db,
  sel: Selection,
  scopes: readonly IdentityScope[],
  phoneCrypto?: PhoneCrypto,
): Promise<number> {
  if ('holders' in sel) return countHolders(db, sel.holders.tagId, sel.holders.source);
  return countMatching(db, { filter: sel.filter, scopes, ...(phoneCrypto ? { phones: phoneCrypto } : {}) });
}

/** The next page of selected customer ids after `after`, in id order (keyset paging). */
export async function pageSelection(
  db: Db,
  sel: Selection,
  after: string,
  limit: number,
  scopes: readonly IdentityScope[],
  phoneCrypto?: PhoneCrypto,
): Promise<string[]> {
  if ('holders' in sel) return pageHolders(db, sel.holders.tagId, sel.holders.source, after, limit);
  return pageMatchingIds(
    db,
    { filter: sel.filter, scopes, ...(phoneCrypto ? { phones: phoneCrypto } : {}) },
    after,
    limit,
  );
}
