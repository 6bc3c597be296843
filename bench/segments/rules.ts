import type { Rule } from '../../src/tags/segments/rule-types';
import { DAY_MS, SEGMENTS_APP } from './world';

/**
 * A hand-written single statement counting the same customers as a rule: the floor a preview is held to (DESIGN
 * §9). Written for MySQL/MariaDB, as a DBA would for this one question, set-wise where that is faster.
 */
export interface Floor {
  sql: string;
  params: unknown[];
}

export interface BenchRule {
  name: string;
  rule: Rule;
  /** Counted from the raw rows (transactions, events…): it also checks the figures the preview reads. */
  floor: Floor;
  /** The same question as a DBA would ask it of the figures kept on the customer row, where the rule reads them. */
  keptFloor?: Floor;
}

/** Purchases as the rule compiler counts them (paid, refunded ones included: src/storage/segments/rule-compiler.ts). */
const PURCHASE = "t.state IN ('SUCCESS', 'REFUND') AND t.success_time IS NOT NULL AND t.customer_id IS NOT NULL";
const since = (now: Date, days: number): Date => new Date(now.getTime() - days * DAY_MS);

/** RFM: paid within 90 days, at least 7 orders and ¥700 in all — about one customer in ten of this world. */
export function rfmRule(now: Date): BenchRule {
  const rule: Rule = {
    all: [
      { type: 'lastPurchase', withinDays: 90 },
      { type: 'orders', min: 7 },
      { type: 'spend', minFen: 70_000 },
    ],
  };
  return {
    name: 'RFM (paid ≤ 90 d, ≥ 7 orders, ≥ ¥700)',
    rule,
    floor: {
      sql: `SELECT COUNT(*) AS n FROM customers c JOIN (
          SELECT t.customer_id FROM transactions t WHERE ${PURCHASE} GROUP BY t.customer_id
          HAVING MAX(t.success_time) >= ? AND COUNT(*) >= ? AND SUM(t.amount_total - t.refunded_total) >= ?
        ) r ON r.customer_id = c.id WHERE c.status = 'active'`,
      params: [since(now, 90), 7, 70_000],
    },
    keptFloor: {
      sql: `SELECT COUNT(*) AS n FROM customers c WHERE c.status = 'active'
          AND c.last_purchase_at >= ? AND c.purchase_orders >= ? AND c.purchase_spent_fen >= ?`,
      params: [since(now, 90), 7, 70_000],
    },
  };
}

/** Events: viewed Mini Program pages at least twice in the last 30 days. */
export function eventsRule(now: Date): BenchRule {
  return {
    name: 'events (mp.page_view ≥ 2 in 30 d)',
    rule: { type: 'events', eventType: 'mp.page_view', withinDays: 30, min: 2 },
    floor: {
      sql: `SELECT COUNT(*) AS n FROM customers c JOIN (
          SELECT e.customer_id FROM events e WHERE e.type = ? AND e.occurred_at >= ? AND e.customer_id IS NOT NULL
          GROUP BY e.customer_id HAVING COUNT(*) >= ?
        ) x ON x.customer_id = c.id WHERE c.status = 'active'`,
      params: ['mp.page_view', since(now, 30), 2],
    },
  };
}

/**
 * Nested, six conditions over profile facts, tags, events and transactions: follows the OA, and (a member or a
 * WeCom contact), and (wrote to the OA twice in 60 days or spent ¥300 in a year), and not on the complaints tag.
 */
export function nestedRule(now: Date, tags: { member: string; complained: string }): BenchRule {
  const rule: Rule = {
    all: [
      { type: 'subscribed', appId: SEGMENTS_APP },
      {
        any: [
          { type: 'tag', tagId: tags.member },
          { type: 'channel', channel: 'wecom' },
        ],
      },
      {
        any: [
          { type: 'events', eventType: 'oa.message.*', withinDays: 60, min: 2 },
          { type: 'spend', minFen: 30_000, withinDays: 365 },
        ],
      },
      { not: { type: 'tag', tagId: tags.complained } },
    ],
  };
  return {
    name: 'nested all/any/not (6 conditions)',
    rule,
    floor: {
      // Driven from the two small sets of the `any` (grouped once each), then the other conditions by key lookups;
      // STRAIGHT_JOIN keeps that order, COUNT(DISTINCT) holds whatever rows the joins repeat.
      sql: `SELECT STRAIGHT_JOIN COUNT(DISTINCT c.id) AS n FROM (
          SELECT e.customer_id FROM events e WHERE e.type LIKE 'oa.message.%' AND e.occurred_at >= ?
            AND e.customer_id IS NOT NULL GROUP BY e.customer_id HAVING COUNT(*) >= 2
          UNION
          SELECT t.customer_id FROM transactions t WHERE ${PURCHASE} AND t.success_time >= ?
            GROUP BY t.customer_id HAVING SUM(t.amount_total - t.refunded_total) >= ?
        ) a
        JOIN customers c ON c.id = a.customer_id AND c.status = 'active'
        JOIN oa_subscriptions s ON s.customer_id = c.id AND s.app_id = ? AND s.subscribed = 1
        LEFT JOIN customer_tags m ON m.customer_id = c.id AND m.tag_id = ?
        LEFT JOIN identities w ON w.customer_id = c.id AND w.type = 'wecom_external_userid'
        LEFT JOIN customer_tags x ON x.customer_id = c.id AND x.tag_id = ?
        WHERE (m.id IS NOT NULL OR w.id IS NOT NULL) AND x.id IS NULL`,
      params: [since(now, 60), since(now, 365), 30_000, SEGMENTS_APP, tags.member, tags.complained],
    },
  };
}
