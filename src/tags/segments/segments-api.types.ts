/**
 * The JSON of the segment explanation routes as the console reads it (web/console imports these types through
 * `@server`; they import only other such files and storage's pure type files, so the browser build can use them).
 */
import type { NameSource } from '../../customers/customers-api.types';
import type { ConditionFacts, SegmentJson, SegmentRunJson } from '../../storage/segments/segment.types';
import type { Condition } from './rule-types';

export type { ConditionFacts, SegmentJson, SegmentRunJson };

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

/** `POST /api/v1/segments/:id/preview` and `POST /api/v1/segments/preview`: the count and a sample. */
export interface SegmentPreviewJson {
  count: number;
  /** A few matching customers, each by the best name known (never a bare id, as the customer list). */
  sample: { id: string; displayName: string | null; name: string; nameSource: NameSource }[];
}

export interface SegmentPageJson {
  items: SegmentJson[];
  nextCursor: string | null;
}

export interface SegmentRunPageJson {
  items: SegmentRunJson[];
  nextCursor: string | null;
}
