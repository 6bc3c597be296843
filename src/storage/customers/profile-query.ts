import type { IdentityRef } from '../identity/identity-types';
import { dialectFor, type SqlDialect } from '../dialect';
import { CUSTOMER_CHANNELS_PART } from '../channels/customer-channel.repository';
import { CUSTOMER_GROUPS_PART } from '../groups/group-list.repository';
import { readRows } from '../driver/pool-statements';
import { type Db, fromDbTime, type Row } from '../sql';

/** The rows of one profile read, each part in its own order, columns named as in their tables. */
export interface ProfileRows {
  customer: Row | undefined;
  identities: Row[];
  tags: Row[];
  follows: Row[];
  subscriptions: Row[];
  rfm: Row | undefined;
  events: Row[];
  groups: Row[];
  channels: Row[];
  attributes: Row[];
  notes: Row[];
  consents: Row[];
}

export const RECENT_EVENTS = 20;
/** The profile's `notes`: the latest 20 (DESIGN §13). */
export const RECENT_NOTES = 20;

/**
 * One part of the statement: its output columns (name → SQL), the rest of its SELECT with `{c}` where the
 * customer id goes, and the order of its rows. A UNION ALL keeps no part's ORDER BY, and a window function per
 * part costs MariaDB an internal temporary table each, so parts are put in order here, by their ids — except
 * tags, whose name order is the column collation's: the database ranks them (how many of the customer's tags
 * sort before this one, compared in the column collation, as ORDER BY t.name, ct.source would).
 */
interface Part {
  key: keyof ProfileRows;
  columns: Record<string, string>;
  from: string;
  /** `ORDER BY … LIMIT n` choosing the part's rows (the newest events). */
  limit?: string;
  order?: (a: Row, b: Row) => number;
}

const big = (v: unknown): bigint => BigInt(String(v));
const cmp = (a: bigint | number, b: bigint | number): number => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: Row, b: Row): number => cmp(big(a.id), big(b.id));
const textCmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byRank = (a: Row, b: Row): number => Number(a.rank) - Number(b.rank);
const joinedFirst = (a: Row, b: Row): number =>
  cmp(fromDbTime(a.joined_at)?.getTime() ?? 0, fromDbTime(b.joined_at)?.getTime() ?? 0) || byId(a, b);
const firstTouchFirst = (a: Row, b: Row): number =>
  cmp(fromDbTime(a.first_at)?.getTime() ?? 0, fromDbTime(b.first_at)?.getTime() ?? 0) || byId(a, b);
const newestFirst = (a: Row, b: Row): number =>
  cmp(fromDbTime(b.occurred_at)!.getTime(), fromDbTime(a.occurred_at)!.getTime()) || byId(b, a);

const PARTS: Part[] = [
  {
    key: 'customer',
    columns: {
      id: 'id',
      status: 'status',
      merged_into_id: 'merged_into_id',
      display_name: 'display_name',
      avatar_url: 'avatar_url',
      phone_enc: 'phone_enc',
      created_at: 'created_at',
      updated_at: 'updated_at',
    },
    from: 'FROM customers WHERE id = {c}',
  },
  {
    key: 'identities',
    columns: { id: 'id', type: 'type', scope: 'scope', value: 'value', value_enc: 'value_enc' },
    from: 'FROM identities WHERE customer_id = {c}',
    order: byId,
  },
  {
    key: 'tags',
    columns: {
      id: 't.id',
      name: 't.name',
      source: 'ct.source',
      // WeCom corp tags repeat names across groups (战略 in 客户等级 and in 购买意向): the group tells them apart.
      group_name: '(SELECT g.name FROM tag_groups g WHERE g.id = t.group_id)',
      // A correlated count, evaluated per tag row only: a window function costs every profile, tags or not.
      rank: `(SELECT COUNT(*) FROM customer_tags ct2 JOIN tags t2 ON t2.id = ct2.tag_id
        WHERE ct2.customer_id = ct.customer_id AND t2.deleted_at IS NULL AND (t2.name < t.name OR (t2.name = t.name AND ct2.source < ct.source)))`,
    },
    from: 'FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id = {c} AND t.deleted_at IS NULL',
    order: byRank,
  },
  {
    key: 'follows',
    columns: {
      id: 'id',
      corp_id: 'corp_id',
      staff_userid: 'staff_userid',
      external_userid: 'external_userid',
      remark: 'remark',
      description: 'description',
      add_way: 'add_way',
      state: 'state',
      created_time: 'created_time',
      deleted: 'deleted',
      deleted_at: 'deleted_at',
      // The staff directory's name, through its unique key, in the same statement (no extra round trip).
      staff_name:
        '(SELECT s.name FROM wecom_staff s WHERE s.corp_id = wecom_follows.corp_id AND s.userid = wecom_follows.staff_userid)',
    },
    from: 'FROM wecom_follows WHERE customer_id = {c}',
    order: byId,
  },
  {
    key: 'subscriptions',
    columns: {
      id: 'id',
      app_id: 'app_id',
      openid: 'openid',
      subscribed: 'subscribed',
      subscribe_time: 'subscribe_time',
      unsubscribe_time: 'unsubscribe_time',
      scene: 'scene',
      qr_scene: 'qr_scene',
      qr_scene_str: 'qr_scene_str',
      remark: 'remark',
    },
    from: 'FROM oa_subscriptions WHERE customer_id = {c}',
    order: byId,
  },
  {
    key: 'rfm',
    columns: {
      orders: 'COUNT(*)',
      paid: 'COALESCE(SUM(amount_total), 0)',
      refunded: 'COALESCE(SUM(refunded_total), 0)',
      first_at: 'MIN(success_time)',
      last_at: 'MAX(success_time)',
    },
    from: "FROM transactions WHERE customer_id = {c} AND state IN ('SUCCESS', 'REFUND')",
  },
  {
    key: 'events',
    columns: {
      id: 'id',
      source: 'source',
      account: 'account',
      type: 'type',
      occurred_at: 'occurred_at',
      payload: 'payload',
    },
    from: 'FROM events WHERE customer_id = {c}',
    // The (customer_id, occurred_at) index read backwards for 20 rows.
    limit: `ORDER BY occurred_at DESC, id DESC LIMIT ${RECENT_EVENTS}`,
    order: newestFirst,
  },
  { key: 'groups', ...CUSTOMER_GROUPS_PART, order: joinedFirst },
  { key: 'channels', ...CUSTOMER_CHANNELS_PART, order: firstTouchFirst },
  {
    key: 'attributes',
    columns: {
      id: 'a.id',
      attr_key: 'a.attr_key',
      value_text: 'a.value_text',
      value_num: 'a.value_num',
      value_enc: 'a.value_enc',
      source: 'a.source',
      updated_by: 'a.updated_by',
      updated_at: 'a.updated_at',
      type: 'd.type',
      pii: 'd.pii',
    },
    from: 'FROM customer_attributes a JOIN attribute_definitions d ON d.attr_key = a.attr_key WHERE a.customer_id = {c}',
    order: byId,
  },
  {
    key: 'notes',
    columns: { id: 'id', text: 'text', author: 'author', author_kind: 'author_kind', created_at: 'created_at' },
    from: 'FROM customer_notes WHERE customer_id = {c}',
    limit: `ORDER BY created_at DESC, id DESC LIMIT ${RECENT_NOTES}`,
    order: (a: Row, b: Row): number =>
      cmp(fromDbTime(b.created_at)!.getTime(), fromDbTime(a.created_at)!.getTime()) || byId(b, a),
  },
  {
    key: 'consents',
    columns: { id: 'id', purpose: 'purpose', channel: 'channel', granted: 'granted', source: 'source', at: 'at' },
    from: 'FROM consents WHERE customer_id = {c}',
    // Purpose then channel, as the consents list answers (binary-collated keys compare as JS strings do).
    order: (a: Row, b: Row): number =>
      textCmp(String(a.purpose), String(b.purpose)) || textCmp(String(a.channel), String(b.channel)) || byId(a, b),
  },
];

const WIDTH = Math.max(...PARTS.map((p) => Object.keys(p.columns).length));
const SLOTS = Array.from({ length: WIDTH }, (_, i) => `v${i}`);
const BY_KEY = new Map(PARTS.map((p) => [p.key as string, p]));

/**
 * A part with a LIMIT is parenthesised on MySQL; SQLite allows no parentheses in a compound SELECT, so there it
 * reads from a derived table — which MariaDB would materialise into a temporary table, the costliest step of the
 * statement.
 */
function partSql(p: Part, dialect: SqlDialect): string {
  const exprs = Object.values(p.columns);
  const select = `SELECT '${p.key}' AS part, ${SLOTS.map((slot, i) => `${exprs[i] ?? 'NULL'} AS ${slot}`).join(', ')}`;
  const from = p.from.replace('{c}', '?');
  if (!p.limit) return `${select} ${from}`;
  return dialect.capabilities.parenthesisedUnionParts
    ? `(${select} ${from} ${p.limit})`
    : `${select} FROM (SELECT * ${from} ${p.limit}) AS limited`;
}

/**
 * Where the server can scope a setting to one statement (MariaDB), it runs with `eq_range_index_dive_limit = 1`:
 * its optimizer otherwise "dives" into each part's customer_id index to count the rows of that one key, before
 * reading them through the same index anyway (every part has exactly one usable index, so the estimate can change
 * no plan, only cost server CPU per lookup; bench:lookup measures it).
 * Only for this statement (SET STATEMENT … FOR): elsewhere exact counts pick between indexes on skewed columns.
 */
const STATEMENT_SETTINGS = { eq_range_index_dive_limit: 1 };

const statements = new Map<string, { sql: string; parts: number }>();
function statement(dialect: SqlDialect, withCustomer: boolean): { sql: string; parts: number } {
  const k = `${dialect.server}|${withCustomer}`;
  let s = statements.get(k);
  if (!s) {
    const parts = PARTS.filter((p) => withCustomer || p.key !== 'customer');
    const union = parts.map((p) => partSql(p, dialect)).join('\nUNION ALL ');
    s = { sql: dialect.statementSettings(STATEMENT_SETTINGS) + union, parts: parts.length };
    statements.set(k, s);
  }
  return s;
}

/**
 * A customer's whole profile in ONE statement (DESIGN §9: one round trip instead of seven, and on SQLite one
 * statement instead of seven): a UNION ALL of every part padded to the same width, each part reaching the
 * customer through its own index. Values come back raw and, on MySQL, in the union's common column type (often
 * text), so callers convert with Number / fromDbTime / idString as for any raw row.
 */
export async function readProfileRows(
  db: Db,
  customerId: string,
  opts: { withCustomer: boolean },
): Promise<ProfileRows> {
  const { sql, parts } = statement(dialectFor(db), opts.withCustomer);
  const rows = await readRows<Row & { part: string }>(
    db,
    sql,
    Array.from({ length: parts }, () => customerId),
  );
  const out: ProfileRows = {
    customer: undefined,
    identities: [],
    tags: [],
    follows: [],
    subscriptions: [],
    rfm: undefined,
    events: [],
    groups: [],
    channels: [],
    attributes: [],
    notes: [],
    consents: [],
  };
  for (const r of rows) {
    const p = BY_KEY.get(r.part);
    if (!p) continue;
    const named: Row = {};
    Object.keys(p.columns).forEach((name, i) => (named[name] = r[SLOTS[i]!]));
    const slot = out[p.key];
    if (Array.isArray(slot)) slot.push(named);
    else out[p.key as 'customer' | 'rfm'] = named;
  }
  for (const p of PARTS) {
    const slot = out[p.key];
    if (p.order && Array.isArray(slot)) slot.sort(p.order);
  }
  return out;
}

/**
 * The `customers` row holding a stored identity (phones by their keyed hash), through the identities unique key —
 * its own small statement: repeating that lookup inside each part of the profile statement costs the server more
 * than the second round trip.
 */
export async function readCustomerByIdentity(db: Db, ref: IdentityRef): Promise<Row | undefined> {
  const columns = Object.values(PARTS[0]!.columns)
    .map((c) => `c.${c}`)
    .join(', ');
  const [row] = await readRows(
    db,
    `SELECT ${columns} FROM identities i JOIN customers c ON c.id = i.customer_id WHERE i.type = ? AND i.scope = ? AND i.value = ?`,
    [ref.type, ref.scope, ref.value],
  );
  return row;
}
