/**
 * The `Customer` JSON of DESIGN §8.3 and the customer routes' bodies. The console imports these types through
 * `@server`; they import only identity-types.ts (no server code), so the browser build can use them.
 */
import type { IdentityType } from '../../connectors/common/identity-types';
import type { ConsentJson } from '../privacy/consents-api.types';
import type {
  CustomerAttributeSourcesJson,
  CustomerAttributesJson,
  CustomerNoteJson,
} from '../attributes/attributes-api.types';

/** Where a customer's shown `name` came from (README "Customer names"). */
export type NameSource = 'displayName' | 'wecomRemark' | 'oaRemark' | 'channel' | 'id';

export interface CustomerIdentityJson {
  type: IdentityType;
  scope: string;
  value: string;
  /** The configured name of the account the scope is (null for open platforms and unnamed accounts). */
  scopeName: string | null;
}

/** A customer's tag with its source and tag group (null when ungrouped). */
export interface CustomerTagJson {
  id: string;
  name: string;
  source: string;
  groupName: string | null;
}

/** The `Customer` JSON of DESIGN §8.3 as lists show it. Phone numbers are masked unless the caller is an admin. */
export interface CustomerSummary {
  id: string;
  status: string;
  /** The best name known (best-name.ts): never a bare id. */
  name: string;
  nameSource: NameSource;
  displayName: string | null;
  avatarUrl: string | null;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
  identities: CustomerIdentityJson[];
  /** Openid / external_userid identities whose open platform has no unionid on this customer yet (DESIGN §4). */
  unionidMissing: { type: IdentityType; scope: string }[];
}

/** A WeCom relation of the customer with a staff member (DESIGN §10.3). */
export interface CustomerFollowJson {
  corpId: string;
  corpName: string | null;
  staffUserId: string;
  /** The staff directory's name, null while unknown. */
  staffName: string | null;
  externalUserId: string;
  remark: string | null;
  description: string | null;
  addWay: number | null;
  state: string | null;
  createdTime: string | null;
  deleted: boolean;
  deletedAt: string | null;
}

export interface CustomerSubscriptionJson {
  appId: string;
  accountName: string | null;
  openid: string;
  subscribed: boolean;
  subscribeTime: string | null;
  unsubscribeTime: string | null;
  scene: string | null;
  qrScene: string | null;
  remark: string | null;
}

/** Purchases (DESIGN §5 RFM); money in fen. */
export interface RfmJson {
  orders: number;
  totalSpent: number;
  totalRefunded: number;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  daysSinceLastPurchase: number | null;
}

/** One timeline entry (`GET /api/v1/customers/:id/events`, the profile's `recentEvents`). */
export interface TimelineItem {
  id: string;
  source: string;
  account: string;
  type: string;
  occurredAt: string;
  payload: unknown;
}

export interface TimelinePage {
  items: TimelineItem[];
  nextCursor: string | null;
}

/** A WeCom customer group the customer is a member of now (DESIGN §10.1, §13); `id` is the group's in `/groups/:id`. */
export interface CustomerGroupJson {
  id: string;
  corpId: string;
  chatId: string;
  name: string | null;
  joinedAt: string | null;
}

/** A channel code the customer came through (DESIGN §10.2, §13), the first one first; `id` is the channel's. */
export interface CustomerChannelJson {
  id: string;
  name: string;
  firstAt: string;
  lastAt: string;
}

/** `GET /api/v1/customers/:id`. */
export interface CustomerProfile extends CustomerSummary {
  tags: CustomerTagJson[];
  follows: CustomerFollowJson[];
  subscriptions: CustomerSubscriptionJson[];
  groups: CustomerGroupJson[];
  channels: CustomerChannelJson[];
  /** Custom field values by key (DESIGN §10.4, §13); `pii` values masked for viewers. */
  attributes: CustomerAttributesJson;
  /** Where each value came from (`manual`, `staff`, `import`, `api`, `wechat`), who set it and when. */
  attributeSources: CustomerAttributeSourcesJson;
  /** The latest 20 notes, newest first. */
  notes: CustomerNoteJson[];
  /** The person's consents, one per purpose and channel (DESIGN §12). */
  consents: ConsentJson[];
  rfm: RfmJson;
  recentEvents: TimelineItem[];
}

export interface CustomerListItem extends CustomerSummary {
  tags: CustomerTagJson[];
}

/** `GET /api/v1/customers`. */
export interface CustomerPage {
  items: CustomerListItem[];
  nextCursor: string | null;
}

/** `POST /api/v1/customers/:id/tags`, `DELETE /api/v1/customers/:id/tags/:tagId`. */
export interface CustomerTagsChange {
  customerId: string;
  tags: CustomerTagJson[];
  /** On a removal: the sources still holding the tag. */
  keptBy?: string[];
}

/** `DELETE /api/v1/customers/:id` (DESIGN §7): what the erasure removed. */
export interface ErasureResult {
  customerId: string;
  /** Merged-away customers of the same person, erased with it. */
  mergedCustomerIds: string[];
  identities: number;
  events: number;
  tags: number;
  follows: number;
  subscriptions: number;
  transactions: number;
  tombstones: number;
  /** Raw callbacks of the person removed from the inbox (DESIGN §12). */
  inboxRows: number;
}
