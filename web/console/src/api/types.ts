/**
 * The admin API's JSON as the console reads it (DESIGN §8.3, §13). Shapes the gateway declares in its
 * `src/<module>/<module>-api.types.ts` files are imported from there (`@server`, type-only), so `npm run typecheck`
 * compiles the console against what the server is typed to send; the interfaces still declared below are the
 * routes whose server code has no such file yet (test/console/api-types.test.ts keeps that list from growing).
 */
export type Role = 'viewer' | 'operator' | 'admin';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface WhoAmI {
  kind?: 'operator' | 'key';
  id?: string;
  name: string;
  role: Role;
}

/** Customers (DESIGN §8.3 `Customer`), as the gateway types them. */
export type {
  CustomerFollowJson as Follow,
  CustomerIdentityJson as Identity,
  CustomerListItem,
  CustomerProfile,
  CustomerSubscriptionJson as Subscription,
  CustomerSummary,
  CustomerTagJson as CustomerTag,
  CustomerTagsChange,
  ErasureResult,
  RfmJson as Rfm,
  TimelineItem,
  TimelinePage,
} from '@server/customers/customers-api.types';

/** The tag catalog, as the gateway types it. */
export type {
  BindingStats,
  BindingView as Binding,
  TagDetail,
  TagGroupView as TagGroup,
  TagPage,
  TagView as Tag,
} from '@server/tags/tags-api.types';

export interface BulkJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  processed?: number;
  total?: number | null;
  percent?: number | null;
  error?: string | null;
  result?: Record<string, unknown> | null;
}

/** Full syncs, as the gateway types them. */
export type { SyncRunJson as SyncRun, SyncRunPage, SyncSource } from '@server/syncs/syncs-api.types';

/** Received callbacks, as the gateway types them. */
export type { InboxPageJson, InboxRowJson as InboxRow } from '@server/inbox/inbox-api.types';

/** The push queue, as the gateway types it. */
export type { OutboxPage, OutboxView as OutboxRow } from '@server/tags/outbox/outbox-api.types';

export interface Merge {
  id: string;
  survivorId: string;
  mergedId: string;
  survivorName?: string | null;
  mergedName?: string | null;
  reason: string;
  evidence?: { source?: string } | null;
  moved?: Record<string, number> | null;
  createdAt: string;
  undoneAt: string | null;
  undoneBy?: string | null;
}

export interface Conflict {
  id: string;
  type: string;
  scope: string;
  customerId: string | null;
  otherCustomerId: string | null;
  existingValue: string | null;
  refusedValue: string | null;
  reason: string | null;
  source: string | null;
  createdAt: string;
}

export interface AuditRow {
  id: string;
  actor: string;
  actorName?: string | null;
  role: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: unknown;
  createdAt: string;
}

/** The WeCom staff directory, as the gateway types it. */
export type { StaffMemberJson as Staff, StaffPageJson } from '@server/staff/staff-api.types';

/** The overview and its RFM distribution, as the gateway types them. */
export type { Bucket as RfmBucket, Overview, RfmDistribution } from '@server/overview/overview-api.types';

/** Segment rules and why a customer is in a segment, as the gateway types them. */
export type { Condition, Rule } from '@server/tags/segments/rule-types';
export type {
  ConditionFacts,
  CustomerSegmentJson,
  CustomerSegmentsJson,
  ExplainNode,
  SegmentExplanationJson,
  SegmentJson as Segment,
  SegmentPreviewJson as SegmentPreview,
  SegmentRunJson as SegmentRun,
} from '@server/tags/segments/segments-api.types';
