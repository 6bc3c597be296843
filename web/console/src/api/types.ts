/**
 * The admin API's JSON as the console reads it (DESIGN §8.3, §13; server shapes in src/customers/profile.service.ts,
 * src/tags/catalog/tag-view.ts, src/syncs/sync-progress.ts, src/tags/outbox/outbox-admin.service.ts). Fields other
 * gateways may not send yet (names, staff, overview) are optional, and the screens fall back when they are absent.
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

export interface Identity {
  type: string;
  scope: string;
  value: string;
  /** The configured name of the account the scope is. */
  scopeName?: string | null;
}

export interface CustomerTag {
  id: string;
  name: string;
  source: string;
  groupName: string | null;
}

export interface CustomerSummary {
  id: string;
  status: string;
  displayName: string | null;
  /** Best known name (display name, WeCom remark, nickname, channel label) and where it came from. */
  name?: string | null;
  nameSource?: string | null;
  avatarUrl: string | null;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
  identities: Identity[];
  unionidMissing?: { type: string; scope: string }[];
  tags?: CustomerTag[];
}

export interface Follow {
  corpId: string;
  corpName?: string | null;
  staffUserId: string;
  staffName?: string | null;
  externalUserId: string;
  remark: string | null;
  description: string | null;
  addWay: number | null;
  state: string | null;
  createdTime: string | null;
  deleted: boolean;
  deletedAt: string | null;
}

export interface Subscription {
  appId: string;
  accountName?: string | null;
  openid: string;
  subscribed: boolean;
  subscribeTime: string | null;
  unsubscribeTime: string | null;
  scene: string | null;
  qrScene: string | null;
  remark: string | null;
}

export interface Rfm {
  orders: number;
  totalSpent: number;
  totalRefunded: number;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  daysSinceLastPurchase: number | null;
}

export interface TimelineItem {
  id: string;
  source: string;
  account: string;
  type: string;
  occurredAt: string;
  payload: unknown;
}

export interface CustomerProfile extends CustomerSummary {
  tags: CustomerTag[];
  follows: Follow[];
  subscriptions: Subscription[];
  rfm: Rfm;
  recentEvents: TimelineItem[];
}

export interface ErasureResult {
  customerId: string;
  identities: number;
  events: number;
  tags: number;
  follows: number;
  subscriptions: number;
  transactions: number;
}

export interface Binding {
  id?: string;
  channel: 'oa' | 'wecom';
  account: string;
  remoteTagId: string | null;
  remoteName: string | null;
  remoteGroupId?: string | null;
  remoteGroupName: string | null;
  status: string;
  error: string | null;
  stats?: { desired?: number; pushed?: number; pending?: number; failed?: number; drifted?: number };
}

export interface Tag {
  id: string;
  name: string;
  groupId: string | null;
  groupName: string | null;
  description: string | null;
  createdBy: string | null;
  createdAt: string;
  bindings: Binding[];
  customers?: number;
  bySource?: Record<string, number>;
}

export interface TagGroup {
  id: string;
  name: string;
}

export interface BulkJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  processed?: number;
  total?: number | null;
  percent?: number | null;
  error?: string | null;
  result?: Record<string, unknown> | null;
}

export interface Segment {
  id: string;
  name: string;
  tagId: string;
  tagName?: string | null;
  rule: unknown;
  schedule: string | null;
  enabled: boolean;
  lastRunAt: string | null;
  lastCount: number | null;
  lastError: string | null;
}

export interface SegmentPreview {
  count: number;
  sample: CustomerSummary[];
}

export interface SegmentRun {
  status?: 'done' | 'failed';
  startedAt: string;
  finishedAt?: string | null;
  /** Null for a failed run. */
  members: number | null;
  added?: number;
  removed?: number;
}

export interface SyncSource {
  accountId: string;
  kind: string;
  /** The account's configured name (DESIGN §8.1 `name`). */
  accountName?: string | null;
  appId?: string;
  corpId?: string;
  resources: string[];
}

export interface SyncRun {
  id: string;
  accountId: string;
  accountName?: string | null;
  resource: string;
  status: string;
  processed: number;
  total: number | null;
  percent: number | null;
  rate: number;
  created: number;
  updated: number;
  error: string | null;
  triggeredBy: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface InboxRow {
  id: string;
  channel: string;
  account: string;
  kind: string;
  status: string;
  attempts: number;
  error: unknown;
  receivedAt: string;
}

export interface OutboxRow {
  id: string;
  channel: string;
  account: string;
  tagId: string | null;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  lastErrcode: number | null;
  lastError: string | null;
  payload: unknown;
}

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

export interface Staff {
  corpId: string;
  userid: string;
  name: string;
  status?: string;
  customerCount?: number;
}

/** `GET /api/v1/overview` exactly as DESIGN §13. */
export interface Overview {
  customers: { total: number; byChannel: Record<'oa' | 'mp' | 'h5' | 'wecom' | 'pay', number> };
  identities: Record<string, number>;
  daily: { date: string; new: number; lost: number }[];
  tags: { bindings: { tagId: string; name: string; channel: string; desired: number; pushed: number; pending: number; failed: number }[] };
  outbox: Record<string, number>;
  inbox: Record<string, number>;
  syncs: { accountId: string; resource: string; status: string; finishedAt: string | null }[];
  /** Beyond the contract: the configured accounts with their names. */
  accounts?: { id: string; kind: string; name: string | null }[];
}

/** A bucket of the RFM distribution: `max` null = open-ended; days, orders, or fen for spend. */
export interface RfmBucket {
  key: string;
  min: number;
  max: number | null;
}

/** `GET /api/v1/overview/rfm`: customers per (recency, frequency) cell and per spend bucket. */
export interface RfmDistribution {
  customers: number;
  withoutPurchase: number;
  recency: RfmBucket[];
  frequency: RfmBucket[];
  heatmap: { recency: string; frequency: string; customers: number }[];
  spend: (RfmBucket & { customers: number })[];
}

/** Segment rules and why a customer is in a segment, as the gateway types them. */
export type { Condition, Rule } from '@server/tags/segments/rule-types';
export type { ConditionFacts, CustomerSegmentJson, CustomerSegmentsJson, ExplainNode, SegmentExplanationJson } from '@server/tags/segments/segments-api.types';
