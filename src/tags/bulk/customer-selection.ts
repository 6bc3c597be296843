import { filterSql, type CustomerFilter, type IdentityScope } from '../../customers/customer-filter';
import type { PhoneCrypto } from '../../security/phone-crypto';
import type { CustomerTagSource } from '../../storage/entities';
import { type Db, select } from '../../storage/sql';

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
  if ('holders' in sel) {
    const rows = await select(
      db,
      'SELECT COUNT(DISTINCT customer_id) AS n FROM customer_tags WHERE tag_id = ? AND source = ?',
      [sel.holders.tagId, sel.holders.source],
    );
    return Number(rows[0]?.n ?? 0);
  }
  const f = filterSql(sel.filter, scopes, phoneCrypto);
  const rows = await select(db, `SELECT COUNT(*) AS n FROM ${f.from} WHERE ${f.where.join(' AND ')}`, f.params);
  return Number(rows[0]?.n ?? 0);
}

/** The next page of selected customer ids after `after`, in id order (keyset paging; the q matches are a UNION, so ids are distinct). */
export async function pageSelection(
  db: Db,
  sel: Selection,
  after: string,
  limit: number,
  scopes: readonly IdentityScope[],
  phoneCrypto?: PhoneCrypto,
): Promise<string[]> {
  if ('holders' in sel) {
    const rows = await select(
      db,
      `SELECT DISTINCT customer_id FROM customer_tags WHERE tag_id = ? AND source = ? AND customer_id > ? ORDER BY customer_id LIMIT ${Math.trunc(limit)}`,
      [sel.holders.tagId, sel.holders.source, after],
    );
    return rows.map((r) => String(r.customer_id));
  }
  const f = filterSql(sel.filter, scopes, phoneCrypto);
  const rows = await select(
    db,
    `SELECT c.id FROM ${f.from} WHERE ${[...f.where, 'c.id > ?'].join(' AND ')} ORDER BY c.id LIMIT ${Math.trunc(limit)}`,
    [...f.params, after],
  );
  return rows.map((r) => String(r.id));
}
