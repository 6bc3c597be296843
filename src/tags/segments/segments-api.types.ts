/**
 * The JSON of the segment explanation routes as the console reads it (web/console imports these types through
 * `@server`; they import only rule-types.ts, which imports nothing, so the browser build can use them).
 */
import type { NameSource } from '../../customers/customers-api.types';
import type { Condition, Rule } from './rule-types';

/** What the customer's data says about one condition: the numbers the condition compares. */
export type ConditionFacts =
  /** `channel`: identities of that channel (and account). */
  | { type: 'channel'; identities: number }
  /** `subscribed`: OA subscriptions held now (of that appId). */
  | { type: 'subscribed'; subscriptions: number }
  /** `lastPurchase`: the newest purchase and how many days ago it was. */
  | { type: 'lastPurchase'; lastPurchaseAt: string | null; daysSinceLastPurchase: number | null }
  /** `orders`: purchases (in the condition's window). */
  | { type: 'orders'; orders: number }
  /** `spend`: paid in fen (in the condition's window). */
  | { type: 'spend'; spentFen: number }
  /** `events`: timeline entries of the type in the window. */
  | { type: 'events'; events: number }
  /** `tag`: the tag's name and group and the sources the customer holds it from (empty: not tagged). */
  | { type: 'tag'; tagName: string | null; groupName: string | null; sources: string[] }
  /** `followedBy`: live WeCom relations with that staff member, and the member's directory name. */
  | { type: 'followedBy'; follows: number; staffName: string | null }
  /** `group`: the matching groups the customer is a member of now, and the group's name when one chat is named. */
  | { type: 'group'; groups: number; groupName: string | null }
  /** `groupCount`: the groups the customer is a member of now. */
  | { type: 'groupCount'; groups: number }
  /** `source`: the channel's name and when the customer first and last came through it (null: never). */
  | { type: 'source'; channelName: string | null; firstAt: string | null; lastAt: string | null }
  /** `attribute`: the field's labels and the customer's value (null: none, or a pii field). */
  | {
      type: 'attribute';
      label: { 'zh-CN': string; en: string } | null;
      value: string | number | boolean | string[] | null;
    };

/** One node of a rule, evaluated for one customer: `met` is what the rule's SQL decides for it. */
export type ExplainNode =
  | { op: 'all' | 'any'; met: boolean; items: ExplainNode[] }
  | { op: 'not'; met: boolean; item: ExplainNode }
  | { op: 'condition'; met: boolean; condition: Condition; facts: ConditionFacts };

/** `GET /api/v1/segments/:id/explain?customerId=`. */
export interface SegmentExplanationJson {
  segmentId: string;
  segmentName: string;
  /** The customer the id resolved to (the survivor of a merge). */
  customerId: string;
  /** The rule holds for the customer now (an active customer only). */
  matches: boolean;
  /** The customer holds the segment's tag from a run (`rule` assignment): what pushes and the catalog see. */
  member: boolean;
  evaluatedAt: string;
  rule: ExplainNode;
}

/** One segment in `GET /api/v1/customers/:id/segments`. */
export interface CustomerSegmentJson {
  id: string;
  name: string;
  tagId: string | null;
  tagName: string | null;
  enabled: boolean;
  lastRunAt: string | null;
  matches: boolean;
  member: boolean;
}

/** `GET /api/v1/customers/:id/segments`: the segments whose rule holds for the customer or whose tag a run gave them. */
export interface CustomerSegmentsJson {
  customerId: string;
  items: CustomerSegmentJson[];
}

/** A segment as `GET/POST/PATCH /api/v1/segments[/:id]` answer it (DESIGN §5, §8.3). */
export interface SegmentJson {
  id: string;
  name: string;
  tagId: string | null;
  /** The produced tag's catalog name, so lists show names rather than ids. */
  tagName: string | null;
  rule: Rule;
  schedule: string | null;
  enabled: boolean;
  lastRunAt: string | null;
  lastCount: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `POST /api/v1/segments/:id/preview` and `POST /api/v1/segments/preview`: the count and a sample. */
export interface SegmentPreviewJson {
  count: number;
  /** A few matching customers, each by the best name known (never a bare id, as the customer list). */
  sample: { id: string; displayName: string | null; name: string; nameSource: NameSource }[];
}

/** One run in `GET /api/v1/segments/:id/runs` (its size over time). */
export interface SegmentRunJson {
  id: string;
  segmentId: string;
  status: 'done' | 'failed';
  triggeredBy: string | null;
  startedAt: string;
  finishedAt: string;
  /** Null for a failed run. */
  members: number | null;
  added: number;
  removed: number;
  scanned: number;
  error: string | null;
}

export interface SegmentPageJson {
  items: SegmentJson[];
  nextCursor: string | null;
}

export interface SegmentRunPageJson {
  items: SegmentRunJson[];
  nextCursor: string | null;
}
