import type { Condition, ConditionFacts } from '../api/types';
import { tagLabel } from '../components/use-tags';
import { ago, day, money, num } from '../fmt';
import { i18n, t } from '../i18n';
import { channelLabel, consentPurposeLabel, eventTypeLabel, tagSourceLabel } from '../labels';
import { accountName, staffName } from '../names';

/** A condition's bounds in words: `≥ 3`, `≤ 5`, `3 至 5` (money in ¥ for spend). */
function range(min: number | undefined, max: number | undefined, show: (n: number) => string): string {
  if (min !== undefined && max !== undefined) return t('explain.range.between', { min: show(min), max: show(max) });
  if (max !== undefined) return t('explain.range.max', { max: show(max) });
  return t('explain.range.min', { min: show(min ?? 1) });
}

const inLast = (days: number | undefined): string => (days === undefined ? '' : t('explain.cond.window', { days }));

type AttributeValue = string | number | boolean | string[];

/** An attribute value in words: lists joined, booleans as 是/否. */
export function attributeValueText(v: AttributeValue | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(t('list.separator'));
  if (typeof v === 'boolean') return t(v ? 'attr.yes' : 'attr.no');
  return String(v);
}

/** A field's label in the current language, else its key. */
export function attributeLabel(label: { 'zh-CN': string; en: string } | null | undefined, key: string): string {
  return label ? label[i18n.locale.value] || label['zh-CN'] : key;
}

/** A rule condition as an operator reads it ("购买次数 ≥ 3（最近 30 天）"); names from the facts where the API sent them. */
export function conditionText(c: Condition, facts: ConditionFacts): string {
  switch (c.type) {
    case 'channel':
      return c.account
        ? t('explain.cond.channelAccount', { channel: channelLabel(c.channel), account: accountName(c.account) })
        : t('explain.cond.channel', { channel: channelLabel(c.channel) });
    case 'subscribed':
      return c.appId
        ? t('explain.cond.subscribedAccount', { account: accountName(c.appId) })
        : t('explain.cond.subscribed');
    case 'lastPurchase':
      return [
        c.withinDays !== undefined ? t('explain.cond.lastPurchaseWithin', { days: c.withinDays }) : '',
        c.olderThanDays !== undefined ? t('explain.cond.lastPurchaseOlder', { days: c.olderThanDays }) : '',
      ]
        .filter(Boolean)
        .join(t('list.separator'));
    case 'orders':
      return t('explain.cond.orders', { range: range(c.min, c.max, num) }) + inLast(c.withinDays);
    case 'spend':
      return t('explain.cond.spend', { range: range(c.minFen, c.maxFen, money) }) + inLast(c.withinDays);
    case 'events':
      return (
        t('explain.cond.events', {
          event: eventTypeLabel(c.eventType.replace(/\.\*$/, '')),
          range: range(c.min, c.max, num),
        }) + inLast(c.withinDays)
      );
    case 'tag': {
      const named =
        facts.type === 'tag' && facts.tagName ? tagLabel({ name: facts.tagName, groupName: facts.groupName }) : c.tagId;
      return c.has === false ? t('explain.cond.tagLacks', { tag: named }) : t('explain.cond.tagHas', { tag: named });
    }
    case 'followedBy':
      return t('explain.cond.followedBy', {
        staff: staffName(c.corpId ?? '', c.staffUserid, facts.type === 'followedBy' ? facts.staffName : null),
      });
    case 'group': {
      const named = c.chatId
        ? t('explain.cond.groupNamed', { group: (facts.type === 'group' ? facts.groupName : null) ?? c.chatId })
        : t('explain.cond.groupAny');
      return (
        named +
        (c.joinedWithinDays === undefined ? '' : t('explain.cond.groupJoinedWithin', { days: c.joinedWithinDays }))
      );
    }
    case 'groupCount':
      return t('explain.cond.groupCount', { range: range(c.min, c.max, num) });
    case 'source': {
      const channel = (facts.type === 'source' ? facts.channelName : null) ?? c.channelId;
      return t(c.first ? 'explain.cond.sourceFirst' : 'explain.cond.source', { channel }) + inLast(c.withinDays);
    }
    case 'attribute': {
      const field = attributeLabel(facts.type === 'attribute' ? facts.label : null, c.key);
      const values = Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [c.value];
      return t(`explain.cond.attribute.${c.op}`, {
        field,
        value: attributeValueText(values.length === 1 ? values[0] : values.map(String)),
        min: attributeValueText(values[0]),
        max: attributeValueText(values[1]),
      });
    }
    case 'consent':
      return t(c.granted === false ? 'explain.cond.consentWithdrawn' : 'explain.cond.consentGranted', {
        purpose: consentPurposeLabel(c.purpose),
      });
  }
}

/** What the customer's data showed for the condition ("实际 2 次", "最近一次购买 2026/03/05（4 天前）"). */
export function factText(f: ConditionFacts): string {
  switch (f.type) {
    case 'channel':
      return t('explain.fact.identities', { n: num(f.identities) });
    case 'subscribed':
      return t('explain.fact.subscriptions', { n: num(f.subscriptions) });
    case 'lastPurchase':
      return f.lastPurchaseAt
        ? t('explain.fact.lastPurchase', { date: day(f.lastPurchaseAt), ago: ago(f.daysSinceLastPurchase) })
        : t('explain.fact.noPurchase');
    case 'orders':
      return t('explain.fact.orders', { n: num(f.orders) });
    case 'spend':
      return t('explain.fact.spent', { money: money(f.spentFen) });
    case 'events':
      return t('explain.fact.events', { n: num(f.events) });
    case 'tag':
      return f.sources.length
        ? t('explain.fact.tagged', { sources: f.sources.map(tagSourceLabel).join(t('list.separator')) })
        : t('explain.fact.untagged');
    case 'followedBy':
      return f.follows > 0 ? t('explain.fact.follows') : t('explain.fact.noFollows');
    case 'group':
    case 'groupCount':
      return t('explain.fact.groups', { n: num(f.groups) });
    case 'source':
      return f.firstAt && f.lastAt
        ? t('explain.fact.source', { first: day(f.firstAt), last: day(f.lastAt) })
        : t('explain.fact.noSource');
    case 'attribute':
      return f.value === null || (Array.isArray(f.value) && f.value.length === 0)
        ? t('explain.fact.noAttribute')
        : t('explain.fact.attribute', { value: attributeValueText(f.value) });
    case 'consent': {
      // A withdrawal on any channel outweighs a grant on another (DESIGN §12), so a mix reads as withdrawn.
      if (f.lastAt === null) return t('explain.fact.noConsent');
      const date = day(f.lastAt);
      if (f.withdrawn === 0) return t('explain.fact.consentGranted', { date });
      return t(f.granted > 0 ? 'explain.fact.consentMixed' : 'explain.fact.consentWithdrawn', { date });
    }
  }
}
