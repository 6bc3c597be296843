import { fromDbTime } from '../../storage/sql';
import { DAY_MS, GROUP_MEMBERSHIPS, IDENTITY_TYPE, PURCHASE } from './rule-compiler';
import type { Condition } from './rule-types';
import type { ConditionFacts } from './segments-api.types';

/** SQL expressions over the customer alias `c` giving a condition's facts, with their parameters in order. */
export interface FactSql {
  columns: string[];
  params: unknown[];
}

/**
 * The numbers a condition compares (the same subqueries as rule-compiler.ts, without the comparison), so an
 * explanation shows "购买次数 1" beside "至少 1 次" rather than a bare yes or no.
 */
export function factSql(c: Condition, now: Date): FactSql {
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return '?';
  };
  const since = (days: number | undefined, column: string): string =>
    days !== undefined ? ` AND ${column} >= ${p(new Date(now.getTime() - days * DAY_MS))}` : '';
  const columns = ((): string[] => {
    switch (c.type) {
      case 'channel':
        return [
          `(SELECT COUNT(*) FROM identities i WHERE i.customer_id = c.id AND i.type = ${p(IDENTITY_TYPE[c.channel])}${c.account ? ` AND i.scope = ${p(c.account)}` : ''})`,
        ];
      case 'subscribed':
        return [
          `(SELECT COUNT(*) FROM oa_subscriptions s WHERE s.customer_id = c.id AND s.subscribed = 1${c.appId ? ` AND s.app_id = ${p(c.appId)}` : ''})`,
        ];
      case 'lastPurchase':
        return [`(SELECT MAX(t.success_time) FROM transactions t WHERE ${PURCHASE})`];
      case 'orders':
        return [`(SELECT COUNT(*) FROM transactions t WHERE ${PURCHASE}${since(c.withinDays, 't.success_time')})`];
      case 'spend':
        return [
          `(SELECT COALESCE(SUM(t.amount_total), 0) FROM transactions t WHERE ${PURCHASE}${since(c.withinDays, 't.success_time')})`,
        ];
      case 'events': {
        const match = c.eventType.endsWith('*')
          ? `e.type LIKE ${p(`${c.eventType.slice(0, -1).replace(/[!%_]/g, (x) => `!${x}`)}%`)} ESCAPE '!'`
          : `e.type = ${p(c.eventType)}`;
        return [
          `(SELECT COUNT(*) FROM events e WHERE e.customer_id = c.id AND ${match}${since(c.withinDays, 'e.occurred_at')})`,
        ];
      }
      case 'tag':
        return [
          `(SELECT t.name FROM tags t WHERE t.id = ${p(c.tagId)})`,
          `(SELECT g.name FROM tags t JOIN tag_groups g ON g.id = t.group_id WHERE t.id = ${p(c.tagId)})`,
          `(SELECT GROUP_CONCAT(ct.source) FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag_id = ${p(c.tagId)})`,
        ];
      case 'followedBy': {
        const corp = (alias: string): string => (c.corpId ? ` AND ${alias}.corp_id = ${p(c.corpId)}` : '');
        return [
          `(SELECT COUNT(*) FROM wecom_follows f WHERE f.customer_id = c.id AND f.deleted = 0 AND f.staff_userid = ${p(c.staffUserid)}${corp('f')})`,
          `(SELECT MIN(s.name) FROM wecom_staff s WHERE s.userid = ${p(c.staffUserid)}${corp('s')})`,
        ];
      }
      case 'group': {
        const chat = (alias: string): string => (c.chatId ? ` AND ${alias}.chat_id = ${p(c.chatId)}` : '');
        const corp = (alias: string): string => (c.corpId ? ` AND ${alias}.corp_id = ${p(c.corpId)}` : '');
        return [
          `(SELECT COUNT(DISTINCT g.id) FROM ${GROUP_MEMBERSHIPS}${chat('m')}${corp('m')}${since(c.joinedWithinDays, 'm.join_time')})`,
          c.chatId ? `(SELECT MIN(g2.name) FROM wecom_groups g2 WHERE 1 = 1${chat('g2')}${corp('g2')})` : 'NULL',
        ];
      }
      case 'groupCount':
        return [`(SELECT COUNT(DISTINCT g.id) FROM ${GROUP_MEMBERSHIPS})`];
    }
  })();
  return { columns, params };
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** The facts of a condition from the values of its `factSql` columns, in order. */
export function readFacts(c: Condition, values: unknown[], now: Date): ConditionFacts {
  const n = Number(values[0] ?? 0);
  switch (c.type) {
    case 'channel':
      return { type: 'channel', identities: n };
    case 'subscribed':
      return { type: 'subscribed', subscriptions: n };
    case 'lastPurchase': {
      const last = fromDbTime(values[0]);
      return {
        type: 'lastPurchase',
        lastPurchaseAt: last?.toISOString() ?? null,
        daysSinceLastPurchase: last ? Math.floor((now.getTime() - last.getTime()) / DAY_MS) : null,
      };
    }
    case 'orders':
      return { type: 'orders', orders: n };
    case 'spend':
      return { type: 'spend', spentFen: n };
    case 'events':
      return { type: 'events', events: n };
    case 'tag': {
      const sources = text(values[2]);
      return {
        type: 'tag',
        tagName: text(values[0]),
        groupName: text(values[1]),
        sources: sources ? [...new Set(sources.split(','))].sort() : [],
      };
    }
    case 'followedBy':
      return { type: 'followedBy', follows: n, staffName: text(values[1]) };
    case 'group':
      return { type: 'group', groups: n, groupName: text(values[1]) };
    case 'groupCount':
      return { type: 'groupCount', groups: n };
  }
}
