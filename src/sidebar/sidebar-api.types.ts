/**
 * The JSON of `/sidebar/api/...` as the page reads it (web/sidebar imports these types; they import nothing, so
 * the browser build can use them). The server's services are typed with them, so a change shows on both sides.
 */

/** `GET /sidebar/api/session`: who is signed in, by name when the staff directory knows it (DESIGN §10.3). */
export interface SidebarSessionJson {
  corpId: string;
  userid: string;
  /** The staff directory's name, else the userid. */
  name: string;
  /** The corp's configured `name`, else null. */
  corpName: string | null;
}

/** `GET /sidebar/api/jssdk-config`: what the page passes to `wx.config` and `wx.agentConfig` (wechat-api.md §5.12), and the scripts to load first. */
export interface SidebarJssdkConfig {
  config: { beta: true; appId: string; timestamp: number; nonceStr: string; signature: string; jsApiList: string[] };
  agentConfig: {
    corpid: string;
    agentid: number;
    timestamp: number;
    nonceStr: string;
    signature: string;
    jsApiList: string[];
  };
  jsSdkUrls: readonly string[];
}

export interface SidebarTagRef {
  id: string;
  name: string;
  source: string;
  /** The tag group (a WeCom corp tag's group), null when ungrouped. */
  groupName: string | null;
}

export interface SidebarFollowJson {
  corpId: string;
  staffUserId: string;
  /** The member's name from the staff directory, null while unknown. */
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

export interface SidebarSubscriptionJson {
  appId: string;
  openid: string;
  subscribed: boolean;
  subscribeTime: string | null;
  unsubscribeTime: string | null;
  scene: string | null;
  qrScene: string | null;
  remark: string | null;
}

/** A WeCom customer group the customer is a member of now (DESIGN §10.1), with when they joined. */
export interface SidebarGroupJson {
  id: string;
  corpId: string;
  chatId: string;
  name: string | null;
  joinedAt: string | null;
}

/** One WeChat Pay order (DESIGN §3 `transactions`), amounts in fen. */
export interface SidebarOrderJson {
  outTradeNo: string;
  amountFen: number;
  refundedFen: number;
  state: string;
  paidAt: string | null;
  createdAt: string;
}

export interface SidebarEventJson {
  id: string;
  source: string;
  account: string;
  type: string;
  occurredAt: string;
  payload: unknown;
}

/** `GET /sidebar/api/customers/:externalUserId`: the admin API's `Customer` (phone masked) plus orders and account names. */
export type SidebarAttributeValue = string | number | boolean | string[];

/** A custom field marked editable by `staff`, as the sidebar shows it. */
export interface SidebarFieldJson {
  key: string;
  label: { 'zh-CN': string; en: string };
  type: 'text' | 'number' | 'date' | 'bool' | 'enum' | 'multiEnum';
  options?: string[];
  pii: boolean;
}

export interface SidebarNoteJson {
  id: string;
  text: string;
  author: string;
  authorKind: 'operator' | 'staff';
  createdAt: string;
}

/** A consent per purpose and channel (DESIGN §12), as on the admin API's `Customer`; `channel` null: everywhere. */
export interface SidebarConsentJson {
  purpose: string;
  channel: string | null;
  granted: boolean;
  source: string;
  at: string;
}

export interface SidebarCustomerJson {
  id: string;
  /** The best name known (displayName, a remark, a nickname…), null when none is. */
  name: string | null;
  displayName: string | null;
  avatarUrl: string | null;
  phone: string | null;
  identities: { type: string; scope: string; value: string }[];
  unionidMissing: { type: string; scope: string }[];
  tags: SidebarTagRef[];
  follows: SidebarFollowJson[];
  subscriptions: SidebarSubscriptionJson[];
  groups: SidebarGroupJson[];
  /** The channel code that first brought the customer (DESIGN §10.2), null when none did. */
  firstChannel: { id: string; name: string; firstAt: string } | null;
  rfm: {
    orders: number;
    totalSpent: number;
    totalRefunded: number;
    lastPurchaseAt: string | null;
    daysSinceLastPurchase: number | null;
  };
  orders: SidebarOrderJson[];
  recentEvents: SidebarEventJson[];
  /** Custom field values by key (pii masked, as for a viewer) and the fields a rep may fill in (DESIGN §10.4). */
  attributes: Record<string, SidebarAttributeValue>;
  fields: SidebarFieldJson[];
  /** The latest 20 notes, newest first. */
  notes: SidebarNoteJson[];
  /** The person's consents; the card says the marketing answer so a rep knows not to market. */
  consents: SidebarConsentJson[];
  /** appId / corpId / mchId → the account's configured name, for the accounts that have one. */
  accountNames: Record<string, string>;
}

/** A tag of the picker: the catalog entry, and whether it is bound to a corp tag of the staff member's corp. */
export interface SidebarTagJson {
  id: string;
  name: string;
  groupId: string | null;
  groupName: string | null;
  boundToCorp: boolean;
}

/** A tag group of the corp's library with its tags (`id`/`name` null: tags in no group). */
export interface SidebarTagGroupJson {
  id: string | null;
  name: string | null;
  tags: { id: string; name: string }[];
}

export interface SidebarTagPageJson {
  /** The tags bound to the rep's corp by tag group (what a rep toggles). */
  groups: SidebarTagGroupJson[];
  items: SidebarTagJson[];
  nextCursor: string | null;
}

/** The answer to a tag change: the customer's tags now (`keptBy` on a removal: sources still holding it). */
export interface SidebarTagChangeJson {
  customerId: string;
  tags: SidebarTagRef[];
  keptBy?: string[];
}
