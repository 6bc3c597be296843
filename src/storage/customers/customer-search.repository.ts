import type { IdentityType } from '../identity/identity-types';
import type { CustomerChannel, CustomerFilter, IdentityScope } from './customer-filter';
import { type Db, select } from '../sql';
import { customerColumns, toCustomer, type StoredCustomer } from './customer.repository';

/** Turns a phone number into the keyed hash its identity is stored under (security/phone-crypto.ts). */
export interface PhoneHasher {
  hash(phone: string): string;
}

const CHANNEL_IDENTITY: Record<Exclude<CustomerChannel, 'pay'>, IdentityType> = {
  oa: 'oa_openid',
  mp: 'mp_openid',
  h5: 'h5_openid',
  wecom: 'wecom_external_userid',
};

/** LIKE pattern for a prefix, with `!` as the escape character (the same on MySQL and SQLite). */
export function prefixPattern(q: string): string {
  return `${q.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** Known only as an anonymous visitor: an `anonymous_id` and no other identity (DESIGN §11). */
export const ANONYMOUS_ONLY = `(EXISTS (SELECT 1 FROM identities an WHERE an.customer_id = c.id AND an.type = 'anonymous_id')
  AND NOT EXISTS (SELECT 1 FROM identities kn WHERE kn.customer_id = c.id AND kn.type <> 'anonymous_id'))`;

interface FilterSql {
  /** `FROM …` clause: the customers table, joined to the q matches when there is a q. */
  from: string;
  where: string[];
  params: unknown[];
}

/**
 * SQL pieces for a filter over `customers c`. The q matches are a derived table (a UNION of three index range
 * scans) joined to customers, so a search touches only matching rows instead of testing every customer.
 */
function filterSql(f: CustomerFilter, scopes: readonly IdentityScope[], phones?: PhoneHasher): FilterSql {
  const where = ["c.status = 'active'"];
  const params: unknown[] = [];
  let from = 'customers c';
  const q = f.q?.trim();
  if (q) {
    const like = prefixPattern(q);
    const parts = [
      "SELECT id AS customer_id FROM customers WHERE display_name LIKE ? ESCAPE '!'",
      "SELECT customer_id FROM wecom_follows WHERE remark LIKE ? ESCAPE '!' AND customer_id IS NOT NULL",
      ...scopes.map(
        () => "SELECT customer_id FROM identities WHERE type = ? AND scope = ? AND value LIKE ? ESCAPE '!'",
      ),
    ];
    const qParams: unknown[] = [like, like, ...scopes.flatMap((s) => [s.type, s.scope, like])];
    const digits = q.replace(/[\s+()-]/g, '');
    if (phones && /^\d{7,15}$/.test(digits)) {
      parts.push("SELECT customer_id FROM identities WHERE type = 'phone' AND value = ?");
      qParams.push(phones.hash(q));
    }
    from = `(${parts.join(' UNION ')}) m JOIN customers c ON c.id = m.customer_id`;
    params.push(...qParams);
  }
  if (f.tagId) {
    where.push('c.id IN (SELECT ct.customer_id FROM customer_tags ct WHERE ct.tag_id = ?)');
    params.push(f.tagId);
  }
  if (f.channel === 'pay') {
    // Paid through WeChat Pay: an order imported from another system is not the channel.
    where.push("EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = c.id AND t.source = 'wechat_pay')");
  } else if (f.channel) {
    where.push('EXISTS (SELECT 1 FROM identities ci WHERE ci.customer_id = c.id AND ci.type = ?)');
    params.push(CHANNEL_IDENTITY[f.channel]);
  }
  if (f.attribute) {
    const a = attributeMatch(f.attribute);
    where.push(a.sql);
    params.push(...a.params);
  }
  if (f.anonymous === 'only') where.push(ANONYMOUS_ONLY);
  else if (f.anonymous !== 'include') where.push(`NOT ${ANONYMOUS_ONLY}`);
  return { from, where, params };
}

/**
 * The list's attribute filter: a value of the key, equal to `value` read as the field's own type — text, a number
 * (only when the text is one: MySQL would read any other text as 0) or `true`/`false` — or a multiEnum option.
 */
function attributeMatch(f: { key: string; value?: string }): { sql: string; params: unknown[] } {
  const base =
    'EXISTS (SELECT 1 FROM customer_attributes a JOIN attribute_definitions d ON d.attr_key = a.attr_key WHERE a.customer_id = c.id AND a.attr_key = ?';
  if (f.value === undefined) return { sql: `${base})`, params: [f.key] };
  const n = Number(f.value);
  const numeric = f.value.trim() !== '' && Number.isFinite(n);
  const option = `%"${f.value.replace(/[!%_]/g, (x) => `!${x}`)}"%`;
  return {
    sql: `${base} AND ((d.type = 'multiEnum' AND a.value_text LIKE ? ESCAPE '!') OR (d.type <> 'multiEnum' AND (a.value_text = ?${numeric ? ' OR a.value_num = ?' : ''}))))`,
    params: [f.key, option, f.value, ...(numeric ? [n] : [])],
  };
}

const COLUMNS = customerColumns('c');

/** A filter over the configured accounts' identity scopes, matching phones only when `phones` is given. */
export interface CustomerSearch {
  filter: CustomerFilter;
  scopes: readonly IdentityScope[];
  phones?: PhoneHasher;
}

/** Up to `rows` matching customers, newest first (UUIDv7 ids sort by creation), before the `before` id if given. */
export async function searchCustomers(
  db: Db,
  s: CustomerSearch,
  page: { rows: number; before?: string },
): Promise<StoredCustomer[]> {
  const f = filterSql(s.filter, s.scopes, s.phones);
  const where = [...f.where];
  const params = [...f.params];
  if (page.before) {
    where.push('c.id < ?');
    params.push(page.before);
  }
  const sql = `SELECT ${COLUMNS} FROM ${f.from} WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT ${Math.trunc(page.rows)}`;
  return (await select(db, sql, params)).map(toCustomer);
}

export async function countMatching(db: Db, s: CustomerSearch): Promise<number> {
  const f = filterSql(s.filter, s.scopes, s.phones);
  const rows = await select(db, `SELECT COUNT(*) AS n FROM ${f.from} WHERE ${f.where.join(' AND ')}`, f.params);
  return Number(rows[0]?.n ?? 0);
}

/** The next page of matching customer ids after `after`, in id order (the q matches are a UNION, so ids are distinct). */
export async function pageMatchingIds(db: Db, s: CustomerSearch, after: string, limit: number): Promise<string[]> {
  const f = filterSql(s.filter, s.scopes, s.phones);
  const rows = await select(
    db,
    `SELECT c.id FROM ${f.from} WHERE ${[...f.where, 'c.id > ?'].join(' AND ')} ORDER BY c.id LIMIT ${Math.trunc(limit)}`,
    [...f.params, after],
  );
  return rows.map((r) => String(r.id));
}
