/**
 * Segments and their runs as the segment queries answer them, in the JSON `/api/v1/segments` sends
 * (segments-api.types.ts re-exports these). Pure types: the console's browser build reads them through `@server`.
 */
import type { Rule } from './rule-types';

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
  /**
   * `consent`: how many of the customer's records for the purpose (one per channel) grant it and withdraw it now,
   * and the newest change (null: no record for the purpose).
   */
  | { type: 'consent'; granted: number; withdrawn: number; lastAt: string | null }
  /** `attribute`: the field's labels and the customer's value (null: none, or a pii field). */
  | {
      type: 'attribute';
      label: { 'zh-CN': string; en: string } | null;
      value: string | number | boolean | string[] | null;
    };

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
