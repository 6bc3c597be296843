import { isPurchase } from '../customers/purchase-figures.repository';
import type { AttributeOperand, Condition, Rule } from './rule-types';

/** A boolean SQL expression over the customer alias `c`, with its bound parameters in order. */
export interface CompiledRule {
  sql: string;
  params: unknown[];
  /**
   * Every condition tests the customer row itself (the kept purchase figures): the rule costs a scan of
   * `customers`, so a query for its first few matches in id order stops early at no risk.
   */
  onlyCustomerColumns?: boolean;
  /**
   * A `SELECT customer_id …` of one customer per row that every match is in (a whole-scope rule's top-level
   * grouped events condition, with its own parameters): a count reads it first and joins each of its customers by
   * primary key, instead of scanning every customer to probe it. `sql` then holds the rest of the rule.
   */
  drivingSet?: { sql: string; params: unknown[] };
}

const IDENTITY_TYPE = {
  oa: 'oa_openid',
  mp: 'mp_openid',
  h5: 'h5_openid',
  wecom: 'wecom_external_userid',
} as const;
/** Purchases as the customer profile counts them (src/customers/profile.service.ts `rfm`). */
const PURCHASE = `t.customer_id = c.id AND ${isPurchase('t')}`;
export const DAY_MS = 86_400_000;
/**
 * The customer's current memberships of groups WeCom still has (DESIGN §10.1): an external member is whoever
 * holds that external_userid of the corp; a member who left, or a dismissed group, is not "member now".
 */
const GROUP_MEMBERSHIPS = `identities i
  JOIN wecom_group_members m ON m.corp_id = i.scope AND m.userid = i.value AND m.member_type = 2 AND m.left_at IS NULL
  JOIN wecom_groups g ON g.corp_id = m.corp_id AND g.chat_id = m.chat_id AND g.status = 'active'
  WHERE i.customer_id = c.id AND i.type = 'wecom_external_userid'`;
/** Spend net of refunds, as the profile's `rfm.totalSpent` and the overview's RFM distribution count it. */
export const SPENT_FEN = 'COALESCE(SUM(t.amount_total - t.refunded_total), 0)';
const daysBefore = (now: Date, days: number): Date => new Date(now.getTime() - days * DAY_MS);

/** Binds parameters in the order their `?` appear; `since` is a column bound to `now` minus some days. */
export interface Binder {
  params: unknown[];
  p(v: unknown): string;
  since(days: number | undefined, column: string): string;
}

export function binder(now: Date): Binder {
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return '?';
  };
  const since = (days: number | undefined, column: string): string =>
    days !== undefined ? ` AND ${column} >= ${p(daysBefore(now, days))}` : '';
  return { params, p, since };
}

type Of<T extends Condition['type']> = Extract<Condition, { type: T }>;

/** The events an `events` condition counts, whoever's they are: the type (or prefix) within the window. */
function eventsOfType(c: Of<'events'>, b: Binder): string {
  const match = c.eventType.endsWith('*')
    ? `e.type LIKE ${b.p(`${c.eventType.slice(0, -1).replace(/[!%_]/g, (x) => `!${x}`)}%`)} ESCAPE '!'`
    : `e.type = ${b.p(c.eventType)}`;
  return `${match}${b.since(c.withinDays, 'e.occurred_at')}`;
}

/**
 * The rows a condition looks at, as `FROM` bodies correlated on `c.id`: the rule tests them (EXISTS, a count or a
 * sum) and the explanation (rule-facts.ts) shows their count, so both read the very same rows.
 */
export const rowsOf = {
  identities: (c: Of<'channel'>, b: Binder): string =>
    `identities i WHERE i.customer_id = c.id AND i.type = ${b.p(IDENTITY_TYPE[c.channel])}${c.account ? ` AND i.scope = ${b.p(c.account)}` : ''}`,
  subscriptions: (c: Of<'subscribed'>, b: Binder): string =>
    `oa_subscriptions s WHERE s.customer_id = c.id AND s.subscribed = 1${c.appId ? ` AND s.app_id = ${b.p(c.appId)}` : ''}`,
  purchases: (withinDays: number | undefined, b: Binder): string =>
    `transactions t WHERE ${PURCHASE}${b.since(withinDays, 't.success_time')}`,
  events: (c: Of<'events'>, b: Binder): string => `events e WHERE e.customer_id = c.id AND ${eventsOfType(c, b)}`,
  follows: (c: Of<'followedBy'>, b: Binder): string =>
    `wecom_follows f WHERE f.customer_id = c.id AND f.deleted = 0 AND f.staff_userid = ${b.p(c.staffUserid)}${c.corpId ? ` AND f.corp_id = ${b.p(c.corpId)}` : ''}`,
  /**
   * The customer's row for the channel, touched within the window; `first`: no other channel brought the customer
   * earlier (ties by row id, so exactly one channel is anyone's first).
   */
  sources: (c: Of<'source'>, b: Binder): string =>
    `customer_channels cc WHERE cc.customer_id = c.id AND cc.channel_id = ${b.p(c.channelId)}${b.since(c.withinDays, 'cc.last_at')}${
      c.first
        ? ' AND NOT EXISTS (SELECT 1 FROM customer_channels o WHERE o.customer_id = cc.customer_id AND (o.first_at < cc.first_at OR (o.first_at = cc.first_at AND o.id < cc.id)))'
        : ''
    }`,
  /** The customer's value of the attribute, joined to its definition (the type decides how a multiEnum matches). */
  attributes: (c: Omit<Of<'attribute'>, 'type'>, b: Binder): string =>
    `customer_attributes a JOIN attribute_definitions d ON d.attr_key = a.attr_key WHERE a.customer_id = c.id AND a.attr_key = ${b.p(c.key)}${attributeTest(c, b)}`,
  groupMemberships: (c: Omit<Of<'group'>, 'type'>, b: Binder): string =>
    `${GROUP_MEMBERSHIPS}${c.chatId ? ` AND m.chat_id = ${b.p(c.chatId)}` : ''}${c.corpId ? ` AND m.corp_id = ${b.p(c.corpId)}` : ''}${b.since(c.joinedWithinDays, 'm.join_time')}`,
  /** The customer's consent rows for the purpose on any channel: the grants (`true`), the withdrawals, or both. */
  consents: (purpose: string, granted: boolean | undefined, b: Binder): string =>
    `consents cs WHERE cs.customer_id = c.id AND cs.purpose = ${b.p(purpose)}${granted === undefined ? '' : ` AND cs.granted = ${granted ? 1 : 0}`}`,
};

const likeEscaped = (s: string): string => s.replace(/[!%_]/g, (x) => `!${x}`);

/**
 * The test of an attribute value beyond "has one" (DESIGN §10.4). Numbers compare `value_num`, everything else
 * `value_text` (dates as `YYYY-MM-DD` text sort as dates; booleans are `true`/`false`). A multiEnum value is its JSON
 * list, so an option matches as `"option"` (options hold no quotes); `in` on a multiEnum means any of the options.
 */
function attributeTest(c: Omit<Of<'attribute'>, 'type'>, b: Binder): string {
  const column = (v: AttributeOperand): string => (typeof v === 'number' ? 'a.value_num' : 'a.value_text');
  const operand = (v: AttributeOperand): string => b.p(typeof v === 'boolean' ? String(v) : v);
  const values = Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [c.value];
  const compare = (sqlOp: string): string => ` AND ${column(values[0]!)} ${sqlOp} ${operand(values[0]!)}`;
  const option = (v: AttributeOperand): string =>
    `a.value_text LIKE ${b.p(`%"${likeEscaped(String(v))}"%`)} ESCAPE '!'`;
  switch (c.op) {
    case 'exists':
      return '';
    case 'eq':
      return compare('=');
    case 'neq':
      return compare('<>');
    case 'gt':
      return compare('>');
    case 'gte':
      return compare('>=');
    case 'lt':
      return compare('<');
    case 'lte':
      return compare('<=');
    case 'between':
      return ` AND ${column(values[0]!)} >= ${operand(values[0]!)} AND ${column(values[1]!)} <= ${operand(values[1]!)}`;
    case 'in':
      return ` AND ((d.type = 'multiEnum' AND (${values.map(option).join(' OR ')})) OR (d.type <> 'multiEnum' AND ${column(values[0]!)} IN (${values.map(operand).join(', ')})))`;
    case 'contains': {
      const text = String(values[0]);
      return ` AND ((d.type = 'multiEnum' AND ${option(text)}) OR (d.type <> 'multiEnum' AND a.value_text LIKE ${b.p(`%${likeEscaped(text)}%`)} ESCAPE '!'))`;
    }
  }
}

/**
 * Compiles a validated rule to SQL (DESIGN §5: evaluated in SQL, never by loading customers). Every condition
 * is a correlated EXISTS or aggregate subquery on indexed columns (identities.customer_id,
 * transactions(customer_id, success_time), events(customer_id, occurred_at), customer_tags(customer_id…),
 * wecom_follows.customer_id, wecom_group_members(corp_id, userid), customer_channels(customer_id, channel_id),
 * customer_attributes(customer_id, attr_key), consents(customer_id, purpose, channel)); times are parameters
 * computed from `now`, so the same SQL runs on SQLite and MySQL.
 */
/**
 * How the rule is evaluated: `windowed` (a run's primary-key windows and one customer's explanation), where each
 * condition is a subquery correlated on `c.id`; or `whole`, over every customer at once (a preview's count), where
 * an events condition that needs at least one event reads the type's events once through (type, occurred_at,
 * customer_id) and groups them, instead of counting each customer's events apart. Both select the same customers.
 */
export type RuleScope = 'windowed' | 'whole';

export function compileRule(rule: Rule, now: Date, scope: RuleScope = 'windowed'): CompiledRule {
  const b = binder(now);

  const between = (expr: string, min: number | undefined, max: number | undefined): string =>
    inRange(b, expr, min, max);

  // Leaves compiled to columns of the customer row (the lifetime purchase figures) pass through `onRow`.
  let rowLeaves = 0;
  const onRow = (sql: string): string => {
    rowLeaves++;
    return sql;
  };
  const cond = (c: Condition): string => {
    switch (c.type) {
      case 'channel':
        return `EXISTS (SELECT 1 FROM ${rowsOf.identities(c, b)})`;
      case 'subscribed':
        return `EXISTS (SELECT 1 FROM ${rowsOf.subscriptions(c, b)})`;
      // Lifetime figures are the customer's own columns, kept by every writer of a purchase (purchase-figures);
      // a window still counts the transactions in it.
      case 'lastPurchase': {
        // IS NOT NULL keeps a customer who never bought false rather than unknown, so `not` includes them.
        const parts: string[] = ['c.last_purchase_at IS NOT NULL'];
        if (c.withinDays !== undefined) parts.push(`c.last_purchase_at >= ${b.p(daysBefore(now, c.withinDays))}`);
        if (c.olderThanDays !== undefined) parts.push(`c.last_purchase_at < ${b.p(daysBefore(now, c.olderThanDays))}`);
        return onRow(`(${parts.join(' AND ')})`);
      }
      case 'orders':
        return c.withinDays === undefined
          ? onRow(between('c.purchase_orders', c.min, c.max))
          : between(`(SELECT COUNT(*) FROM ${rowsOf.purchases(c.withinDays, b)})`, c.min, c.max);
      case 'spend':
        return c.withinDays === undefined
          ? onRow(between('c.purchase_spent_fen', c.minFen, c.maxFen))
          : between(`(SELECT ${SPENT_FEN} FROM ${rowsOf.purchases(c.withinDays, b)})`, c.minFen, c.maxFen);
      case 'events':
        // A customer with no event is never in the grouped set, so only a condition that needs one may use it; the
        // NULL check keeps `NOT (c.id IN …)` true rather than unknown for everyone else.
        if (scope === 'whole' && groupable(c)) return `c.id IN (${groupedEvents(c, b)})`;
        return between(`(SELECT COUNT(*) FROM ${rowsOf.events(c, b)})`, leastEvents(c), c.max);
      case 'tag':
        return `${c.has === false ? 'NOT ' : ''}EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag_id = ${b.p(c.tagId)})`;
      case 'followedBy':
        return `EXISTS (SELECT 1 FROM ${rowsOf.follows(c, b)})`;
      case 'group':
        return `EXISTS (SELECT 1 FROM ${rowsOf.groupMemberships(c, b)})`;
      case 'groupCount':
        return between(`(SELECT COUNT(DISTINCT g.id) FROM ${rowsOf.groupMemberships({}, b)})`, c.min, c.max);
      case 'source':
        return `EXISTS (SELECT 1 FROM ${rowsOf.sources(c, b)})`;
      case 'attribute':
        return `EXISTS (SELECT 1 FROM ${rowsOf.attributes(c, b)})`;
      case 'consent':
        // Privacy first (DESIGN §12): a withdrawal on any channel outweighs a grant on another.
        return c.granted === false
          ? `EXISTS (SELECT 1 FROM ${rowsOf.consents(c.purpose, false, b)})`
          : `(EXISTS (SELECT 1 FROM ${rowsOf.consents(c.purpose, true, b)}) AND NOT EXISTS (SELECT 1 FROM ${rowsOf.consents(c.purpose, false, b)}))`;
    }
  };

  let onlyCustomerColumns = true;
  const walk = (r: Rule): string => {
    if ('all' in r) return r.all.length === 0 ? '1 = 1' : `(${r.all.map(walk).join(' AND ')})`;
    if ('any' in r) return `(${r.any.map(walk).join(' OR ')})`;
    if ('not' in r) return `NOT (${walk(r.not)})`;
    const before = rowLeaves;
    const sql = cond(r);
    if (rowLeaves === before) onlyCustomerColumns = false;
    return sql;
  };

  // A grouped events condition every match must pass drives a whole-scope count (DESIGN §9: preview ≤ 2 s).
  const driver = scope === 'whole' ? drivingEvents(rule) : undefined;
  if (driver) {
    const own = binder(now);
    const set = groupedEvents(driver.condition, own);
    const sql = walk(driver.rest);
    return { sql, params: b.params, onlyCustomerColumns: false, drivingSet: { sql: set, params: own.params } };
  }
  const sql = walk(rule);
  return { sql, params: b.params, onlyCustomerColumns };
}

/**
 * The FROM of a statement over the rule's customers `c`, and every parameter in the order the statement binds them
 * (the driving set's first, then the rule's): `SELECT … FROM ${from} WHERE c.status = 'active' AND ${rule.sql}`.
 */
export function ruleSource(rule: CompiledRule): { from: string; params: unknown[] } {
  if (!rule.drivingSet) return { from: 'customers c', params: rule.params };
  return {
    from: `(${rule.drivingSet.sql}) d JOIN customers c ON c.id = d.customer_id`,
    params: [...rule.drivingSet.params, ...rule.params],
  };
}

/** The fewest events an `events` condition needs: its `min`, else 1 unless it states only a `max`. */
const leastEvents = (c: Of<'events'>): number | undefined => c.min ?? (c.max === undefined ? 1 : undefined);

/** Whether the condition needs at least one event, so the customers it selects are all in its grouped set. */
const groupable = (c: Of<'events'>): boolean => (leastEvents(c) ?? 0) >= 1;

/**
 * `(expr BETWEEN ? AND ?)`, `>=` or `<=` as the bounds given. The expression appears once: a subquery with its own
 * parameters written twice would need them bound twice.
 */
function inRange(b: Binder, expr: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `(${expr} BETWEEN ${b.p(min)} AND ${b.p(max)})`;
  if (min !== undefined) return `(${expr} >= ${b.p(min)})`;
  if (max !== undefined) return `(${expr} <= ${b.p(max)})`;
  return '1 = 1';
}

/** The customers with as many events of the condition's type in its window as it asks: one row each. */
function groupedEvents(c: Of<'events'>, b: Binder): string {
  const where = eventsOfType(c, b); // bound first: its parameters come before the HAVING's
  return `SELECT e.customer_id FROM events e WHERE e.customer_id IS NOT NULL AND ${where} GROUP BY e.customer_id HAVING ${inRange(b, 'COUNT(*)', leastEvents(c), c.max)}`;
}

/**
 * The first events condition needing at least one event among the rule's top-level conjuncts (nested `all`s
 * included), and the rule without it; undefined when there is none (under `any` or `not` it decides nothing alone).
 */
function drivingEvents(rule: Rule): { condition: Of<'events'>; rest: Rule } | undefined {
  if ('any' in rule || 'not' in rule) return undefined;
  if ('all' in rule) {
    for (const [i, part] of rule.all.entries()) {
      const found = drivingEvents(part);
      if (found) return { ...found, rest: { all: rule.all.map((r, j) => (j === i ? found.rest : r)) } };
    }
    return undefined;
  }
  return rule.type === 'events' && groupable(rule) ? { condition: rule, rest: { all: [] } } : undefined;
}
