/**
 * Segment rule JSON (DESIGN §5): conditions combined with `all` / `any` (and `not`), evaluated in SQL.
 *
 * ```json
 * { "all": [
 *   { "type": "channel", "channel": "oa" },
 *   { "any": [ { "type": "orders", "min": 3 }, { "type": "spend", "minFen": 100000, "withinDays": 365 } ] },
 *   { "type": "events", "eventType": "oa.message.*", "withinDays": 30, "min": 2 },
 *   { "type": "tag", "tagId": "12", "has": false }
 * ] }
 * ```
 */
export type ChannelName = 'oa' | 'mp' | 'h5' | 'wecom';

export type Condition =
  /** Has an identity of the channel (optionally of one appid / corpid). */
  | { type: 'channel'; channel: ChannelName; account?: string }
  /** Currently follows an OA (optionally a given appid). */
  | { type: 'subscribed'; appId?: string }
  /** Days since the last purchase: ≤ withinDays and/or > olderThanDays (the latter requires a purchase). */
  | { type: 'lastPurchase'; withinDays?: number; olderThanDays?: number }
  /** Number of purchases, optionally only those of the last `withinDays` days. */
  | { type: 'orders'; min?: number; max?: number; withinDays?: number }
  /** Total paid in fen, optionally only the last `withinDays` days. */
  | { type: 'spend'; minFen?: number; maxFen?: number; withinDays?: number }
  /** Timeline events of a type (`oa.message.*` matches a prefix) within the last `withinDays` days. */
  | { type: 'events'; eventType: string; withinDays: number; min?: number; max?: number }
  /** Carries (or, `has: false`, lacks) a catalog tag. */
  | { type: 'tag'; tagId: string; has?: boolean }
  /** Is followed by a WeCom staff member (optionally in one corp). */
  | { type: 'followedBy'; staffUserid: string; corpId?: string }
  /** Is a member now of a WeCom customer group (DESIGN §10.1): one chat, the groups of one corp, joined lately. */
  | { type: 'group'; chatId?: string; corpId?: string; joinedWithinDays?: number }
  /** Number of customer groups the customer is a member of now. */
  | { type: 'groupCount'; min?: number; max?: number }
  /**
   * Came through a channel code (DESIGN §10.2): touched it at all, or within the last `withinDays` days; `first`:
   * it is the channel that first brought the customer.
   */
  | { type: 'source'; channelId: string; first?: true; withinDays?: number }
  /**
   * A custom field's value (DESIGN §10.4): `exists`; `eq`/`neq` (has a value equal / not equal); `in` (one of; for
   * a multiEnum any of); `gt`/`gte`/`lt`/`lte`/`between` ([min, max], inclusive) on numbers and dates; `contains`
   * (a multiEnum holds the option, a text holds the substring).
   */
  | { type: 'attribute'; key: string; op: AttributeOp; value?: AttributeOperand | AttributeOperand[] }
  /**
   * Consent for a purpose (DESIGN §12), on any channel: granted (the default) = granted somewhere and withdrawn
   * nowhere, since a withdrawal outweighs a grant; `granted: false` = withdrawn somewhere. No record matches neither.
   */
  | { type: 'consent'; purpose: string; granted?: boolean };

export const ATTRIBUTE_OPS = ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists', 'contains'] as const;
export type AttributeOp = (typeof ATTRIBUTE_OPS)[number];
export type AttributeOperand = string | number | boolean;

export type Rule = { all: Rule[] } | { any: Rule[] } | { not: Rule } | Condition;

export const CONDITION_TYPES = [
  'channel',
  'subscribed',
  'lastPurchase',
  'orders',
  'spend',
  'events',
  'tag',
  'followedBy',
  'group',
  'groupCount',
  'source',
  'attribute',
  'consent',
] as const;
