import type { Condition, Rule } from './rule-types';

/** A boolean SQL expression over the customer alias `c`, with its bound parameters in order. */
export interface CompiledRule {
  sql: string;
  params: unknown[];
}

export const IDENTITY_TYPE = {
  oa: 'oa_openid',
  mp: 'mp_openid',
  h5: 'h5_openid',
  wecom: 'wecom_external_userid',
} as const;
/** Purchases as the customer profile counts them (src/customers/profile.service.ts `rfm`). */
export const PURCHASE = "t.customer_id = c.id AND t.state IN ('SUCCESS', 'REFUND') AND t.success_time IS NOT NULL";
export const DAY_MS = 86_400_000;
/**
 * The customer's current memberships of groups WeCom still has (DESIGN §10.1): an external member is whoever
 * holds that external_userid of the corp; a member who left, or a dismissed group, is not "member now".
 */
export const GROUP_MEMBERSHIPS = `identities i
  JOIN wecom_group_members m ON m.corp_id = i.scope AND m.userid = i.value AND m.member_type = 2 AND m.left_at IS NULL
  JOIN wecom_groups g ON g.corp_id = m.corp_id AND g.chat_id = m.chat_id AND g.status = 'active'
  WHERE i.customer_id = c.id AND i.type = 'wecom_external_userid'`;

/**
 * Compiles a validated rule to SQL (DESIGN §5: evaluated in SQL, never by loading customers). Every condition
 * is a correlated EXISTS or aggregate subquery on indexed columns (identities.customer_id,
 * transactions(customer_id, success_time), events(customer_id, occurred_at), customer_tags(customer_id…),
 * wecom_follows.customer_id, wecom_group_members(corp_id, userid)); times are parameters computed from `now`, so the same SQL runs on SQLite and MySQL.
 */
export function compileRule(rule: Rule, now: Date): CompiledRule {
  const params: unknown[] = [];
  const cutoff = (d: number): Date => new Date(now.getTime() - d * DAY_MS);
  const p = (v: unknown): string => {
    params.push(v);
    return '?';
  };

  const between = (expr: string, min: number | undefined, max: number | undefined): string => {
    const parts: string[] = [];
    if (min !== undefined) parts.push(`${expr} >= ${p(min)}`);
    if (max !== undefined) parts.push(`${expr} <= ${p(max)}`);
    return parts.length ? `(${parts.join(' AND ')})` : '1 = 1';
  };

  const cond = (c: Condition): string => {
    switch (c.type) {
      case 'channel':
        return `EXISTS (SELECT 1 FROM identities i WHERE i.customer_id = c.id AND i.type = ${p(IDENTITY_TYPE[c.channel])}${c.account ? ` AND i.scope = ${p(c.account)}` : ''})`;
      case 'subscribed':
        return `EXISTS (SELECT 1 FROM oa_subscriptions s WHERE s.customer_id = c.id AND s.subscribed = 1${c.appId ? ` AND s.app_id = ${p(c.appId)}` : ''})`;
      case 'lastPurchase': {
        const parts: string[] = [];
        if (c.withinDays !== undefined)
          parts.push(
            `EXISTS (SELECT 1 FROM transactions t WHERE ${PURCHASE} AND t.success_time >= ${p(cutoff(c.withinDays))})`,
          );
        if (c.olderThanDays !== undefined) {
          parts.push(`EXISTS (SELECT 1 FROM transactions t WHERE ${PURCHASE})`);
          parts.push(
            `NOT EXISTS (SELECT 1 FROM transactions t WHERE ${PURCHASE} AND t.success_time >= ${p(cutoff(c.olderThanDays))})`,
          );
        }
        return `(${parts.join(' AND ')})`;
      }
      case 'orders': {
        const window = c.withinDays !== undefined ? ` AND t.success_time >= ${p(cutoff(c.withinDays))}` : '';
        return between(`(SELECT COUNT(*) FROM transactions t WHERE ${PURCHASE}${window})`, c.min, c.max);
      }
      case 'spend': {
        const window = c.withinDays !== undefined ? ` AND t.success_time >= ${p(cutoff(c.withinDays))}` : '';
        return between(
          `(SELECT COALESCE(SUM(t.amount_total), 0) FROM transactions t WHERE ${PURCHASE}${window})`,
          c.minFen,
          c.maxFen,
        );
      }
      case 'events': {
        const match = c.eventType.endsWith('*')
          ? `e.type LIKE ${p(`${c.eventType.slice(0, -1).replace(/[!%_]/g, (x) => `!${x}`)}%`)} ESCAPE '!'`
          : `e.type = ${p(c.eventType)}`;
        const expr = `(SELECT COUNT(*) FROM events e WHERE e.customer_id = c.id AND ${match} AND e.occurred_at >= ${p(cutoff(c.withinDays))})`;
        return between(expr, c.min ?? (c.max === undefined ? 1 : undefined), c.max);
      }
      case 'tag':
        return `${c.has === false ? 'NOT ' : ''}EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag_id = ${p(c.tagId)})`;
      case 'followedBy':
        return `EXISTS (SELECT 1 FROM wecom_follows f WHERE f.customer_id = c.id AND f.deleted = 0 AND f.staff_userid = ${p(c.staffUserid)}${c.corpId ? ` AND f.corp_id = ${p(c.corpId)}` : ''})`;
      case 'group': {
        const chat = c.chatId ? ` AND m.chat_id = ${p(c.chatId)}` : '';
        const corp = c.corpId ? ` AND m.corp_id = ${p(c.corpId)}` : '';
        const joined = c.joinedWithinDays !== undefined ? ` AND m.join_time >= ${p(cutoff(c.joinedWithinDays))}` : '';
        return `EXISTS (SELECT 1 FROM ${GROUP_MEMBERSHIPS}${chat}${corp}${joined})`;
      }
      case 'groupCount':
        return between(`(SELECT COUNT(DISTINCT g.id) FROM ${GROUP_MEMBERSHIPS})`, c.min, c.max);
    }
  };

  const walk = (r: Rule): string => {
    if ('all' in r) return `(${r.all.map(walk).join(' AND ')})`;
    if ('any' in r) return `(${r.any.map(walk).join(' OR ')})`;
    if ('not' in r) return `NOT (${walk(r.not)})`;
    return cond(r);
  };

  return { sql: walk(rule), params };
}
