/**
 * The admin API's JSON as the console reads it (DESIGN §8.3, §13). Shapes the gateway declares in its
 * `src/<module>/<module>-api.types.ts` files are imported from there (`@server`, type-only), so `npm run typecheck`
 * compiles the console against what the server is typed to send; test/console/api-types.test.ts keeps a
 * hand-written duplicate from coming back.
 */

/** Who is signed in (a person, or the calling key), as the gateway types it. */
export type { RoleJson as Role, WhoAmIJson as WhoAmI } from '@server/auth/auth-api.types';

/** Operators and the ways to sign in, as the gateway types them. */
export type {
  OperatorJson as Operator,
  OperatorListJson as OperatorList,
  SignInChoicesJson as SignInChoices,
} from '@server/operators/operators-api.types';

/** The audit log, as the gateway types it. */
export type { AuditPageJson as AuditPage, AuditRowJson as AuditRow } from '@server/audit/audit-api.types';

/** Merges and refused links, as the gateway types them. */
export type {
  ConflictJson as Conflict,
  ConflictPageJson as ConflictPage,
  MergeJson as Merge,
  MergePageJson as MergePage,
  MergeUndoJson as MergeUndo,
} from '@server/identity/identity-api.types';

/** Customers (DESIGN §8.3 `Customer`), as the gateway types them. */
export type {
  CustomerFollowJson as Follow,
  CustomerGroupJson as CustomerGroup,
  CustomerIdentityJson as Identity,
  CustomerListItem,
  CustomerPage,
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

/** WeCom customer groups (DESIGN §10.1, §13), as the gateway types them. */
export type {
  GroupActivityJson as GroupActivity,
  GroupDetailJson as GroupDetail,
  GroupMemberJson as GroupMember,
  GroupPageJson as GroupPage,
  GroupSummaryJson as GroupSummary,
} from '@server/groups/groups-api.types';

/** The tag catalog, as the gateway types it. */
export type {
  BindingStats,
  BindingView as Binding,
  BulkJobJson as BulkJob,
  BulkJobQueuedJson as BulkJobQueued,
  TagDetail,
  TagGroupView as TagGroup,
  TagPage,
  TagView as Tag,
} from '@server/tags/tags-api.types';

/** Channel codes (渠道活码), as the gateway types them. */
export type {
  ChannelCustomersJson as ChannelCustomers,
  ChannelJson as Channel,
  ChannelListJson as ChannelList,
  ChannelStatsJson as ChannelStats,
} from '@server/channels/channels-api.types';

/** Full syncs, as the gateway types them. */
export type { SyncRunJson as SyncRun, SyncRunPage, SyncSource } from '@server/syncs/syncs-api.types';

/** Received callbacks, as the gateway types them. */
export type { InboxPageJson, InboxRowJson as InboxRow } from '@server/inbox/inbox-api.types';

/** The push queue, as the gateway types it. */
export type { OutboxPage, OutboxView as OutboxRow } from '@server/tags/outbox/outbox-api.types';

/** The WeCom staff directory, as the gateway types it. */
export type { StaffMemberJson as Staff, StaffPageJson } from '@server/staff/staff-api.types';

/** Customer transfers and departed members' customers, as the gateway types them. */
export type {
  MemberCustomersJson,
  TransferDetailJson,
  TransferItemJson,
  TransferJson,
  TransferPageJson,
  UnassignedPageJson,
} from '@server/transfers/transfers-api.types';

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
  SegmentPageJson as SegmentPage,
  SegmentPreviewJson as SegmentPreview,
  SegmentRunJson as SegmentRun,
} from '@server/tags/segments/segments-api.types';

export type {
  AttributeDefinitionJson as AttributeDefinition,
  AttributeDefinitionListJson,
  AttributeValueJson,
  CustomerNoteJson as CustomerNote,
  CustomerNotePageJson,
} from '@server/attributes/attributes-api.types';

/** A person's consent per purpose and channel (DESIGN §12), as the gateway types it. */
export type { ConsentJson as Consent } from '@server/privacy/consents-api.types';

/** Outbound webhooks and their deliveries (DESIGN §11, §13), as the gateway types them. */
export type {
  DeliveryStatusJson as DeliveryStatus,
  WebhookAttemptJson as WebhookAttempt,
  WebhookDeliveryDetailJson as WebhookDeliveryDetail,
  WebhookDeliveryJson as WebhookDelivery,
  WebhookDeliveryListJson as WebhookDeliveryList,
  WebhookDetailJson as WebhookDetail,
  WebhookEventType,
  WebhookJson as Webhook,
  WebhookListJson as WebhookList,
} from '@server/webhooks/webhooks-api.types';
