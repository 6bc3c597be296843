import { fromDbTime } from '../sql';
import { binder, compileRule, DAY_MS, rowsOf, SPENT_FEN } from './rule-compiler';
import type { Condition, Rule } from './rule-types';
import type { ConditionFacts } from './segment.types';

/** SQL expressions over the customer alias `c` giving a condition's facts, with their parameters in order. */
export interface FactSql {
  columns: string[];
  params: unknown[];
}

/** The rule's verdict for the customer row `c` as a 1/0 column. */
export function verdictSql(rule: Rule, now: Date): FactSql {
  const { sql, params } = compileRule(rule, now);
  return { columns: [`CASE WHEN ${sql} THEN 1 ELSE 0 END`], params };
}

/**
 * The numbers a condition compares (counted over the same rows as rule-compiler.ts, without the comparison), so an
 * explanation shows "购买次数 1" beside "至少 1 次" rather than a bare yes or no.
 */
export function factSql(c: Condition, now: Date): FactSql {
  const b = binder(now);
  const columns = ((): string[] => {
    switch (c.type) {
      case 'channel':
        return [`(SELECT COUNT(*) FROM ${rowsOf.identities(c, b)})`];
      case 'subscribed':
        return [`(SELECT COUNT(*) FROM ${rowsOf.subscriptions(c, b)})`];
      case 'lastPurchase':
        return [`(SELECT MAX(t.success_time) FROM ${rowsOf.purchases(undefined, b)})`];
      case 'orders':
        return [`(SELECT COUNT(*) FROM ${rowsOf.purchases(c.withinDays, b)})`];
      case 'spend':
        return [`(SELECT ${SPENT_FEN} FROM ${rowsOf.purchases(c.withinDays, b)})`];
      case 'events':
        return [`(SELECT COUNT(*) FROM ${rowsOf.events(c, b)})`];
      case 'tag':
        return [
          `(SELECT t.name FROM tags t WHERE t.id = ${b.p(c.tagId)})`,
          `(SELECT g.name FROM tags t JOIN tag_groups g ON g.id = t.group_id WHERE t.id = ${b.p(c.tagId)})`,
          `(SELECT GROUP_CONCAT(ct.source) FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag_id = ${b.p(c.tagId)})`,
        ];
      case 'followedBy':
        return [
          `(SELECT COUNT(*) FROM ${rowsOf.follows(c, b)})`,
          `(SELECT MIN(s.name) FROM wecom_staff s WHERE s.userid = ${b.p(c.staffUserid)}${c.corpId ? ` AND s.corp_id = ${b.p(c.corpId)}` : ''})`,
        ];
      case 'group':
        return [
          `(SELECT COUNT(DISTINCT g.id) FROM ${rowsOf.groupMemberships(c, b)})`,
          c.chatId
            ? `(SELECT MIN(g2.name) FROM wecom_groups g2 WHERE g2.chat_id = ${b.p(c.chatId)}${c.corpId ? ` AND g2.corp_id = ${b.p(c.corpId)}` : ''})`
            : 'NULL',
        ];
      case 'groupCount':
        return [`(SELECT COUNT(DISTINCT g.id) FROM ${rowsOf.groupMemberships({}, b)})`];
      case 'source':
        return [
          `(SELECT COUNT(*) FROM ${rowsOf.sources(c, b)})`,
          `(SELECT ch.name FROM channels ch WHERE ch.id = ${b.p(c.channelId)})`,
          `(SELECT cc2.first_at FROM customer_channels cc2 WHERE cc2.customer_id = c.id AND cc2.channel_id = ${b.p(c.channelId)})`,
          `(SELECT cc2.last_at FROM customer_channels cc2 WHERE cc2.customer_id = c.id AND cc2.channel_id = ${b.p(c.channelId)})`,
        ];
      case 'attribute': {
        // The value itself, unless the field is pii: an explanation never shows a sealed value.
        const def = (column: string): string =>
          `(SELECT d.${column} FROM attribute_definitions d WHERE d.attr_key = ${b.p(c.key)})`;
        const value = (column: string): string =>
          `(SELECT a.${column} FROM customer_attributes a JOIN attribute_definitions d ON d.attr_key = a.attr_key AND d.pii = 0 WHERE a.customer_id = c.id AND a.attr_key = ${b.p(c.key)})`;
        return [def('label_zh'), def('label_en'), def('type'), value('value_text'), value('value_num')];
      }
      case 'consent':
        return [
          `(SELECT COUNT(*) FROM ${rowsOf.consents(c.purpose, true, b)})`,
          `(SELECT COUNT(*) FROM ${rowsOf.consents(c.purpose, false, b)})`,
          `(SELECT MAX(cs.at) FROM ${rowsOf.consents(c.purpose, undefined, b)})`,
        ];
    }
  })();
  return { columns, params: b.params };
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
    case 'source':
      return {
        type: 'source',
        channelName: text(values[1]),
        firstAt: fromDbTime(values[2])?.toISOString() ?? null,
        lastAt: fromDbTime(values[3])?.toISOString() ?? null,
      };
    case 'attribute': {
      const [zh = null, en = null, type = null, valueText = null, valueNum = null] = values.map(text);
      const value =
        valueNum !== null
          ? Number(valueNum)
          : valueText === null
            ? null
            : type === 'multiEnum'
              ? (JSON.parse(valueText) as string[])
              : type === 'bool'
                ? valueText === 'true'
                : valueText;
      return { type: 'attribute', label: zh === null ? null : { 'zh-CN': zh, en: en ?? zh }, value };
    }
    case 'consent':
      return {
        type: 'consent',
        granted: n,
        withdrawn: Number(values[1] ?? 0),
        lastAt: fromDbTime(values[2])?.toISOString() ?? null,
      };
  }
}
