import type { IdentityRef } from './identity-types';

/**
 * The closed vocabulary connectors turn WeChat traffic into (CONVENTIONS: Medusa's fixed action union).
 * The core never sees WeChat XML/JSON; it only sees these. Every event is JSON-serialisable (it is stored
 * in the inbox row) so dates are ISO-8601 strings.
 */
export type Channel = 'official-account' | 'wecom' | 'mini-program' | 'h5' | 'wechat-pay';

interface Base {
  /** When WeChat says it happened (ISO-8601). */
  occurredAt: string;
  channel: Channel;
  /** appId / corpId / mchId of the account the event arrived on. */
  account: string;
}

/** A set of identities seen together: the core attaches/merges them (DESIGN §4). */
export interface IdentityObserved extends Base {
  kind: 'identity.observed';
  identities: IdentityRef[];
  /** Where the evidence came from, e.g. `oa.user_info`, `wecom.contact`, `mp.phone` (verified). */
  source: string;
  /** True only for verified sources (mini-program phone number API). Phone links need it. */
  verified?: boolean;
  profile?: { displayName?: string; avatarUrl?: string; gender?: number };
}

export interface SubscriptionChanged extends Base {
  kind: 'subscription.changed';
  openid: string;
  subscribed: boolean;
  /** `qrscene_` prefix already stripped; absent for a plain follow. */
  qrScene?: string;
  ticket?: string;
}

export interface FollowAdded extends Base {
  kind: 'follow.added';
  staffUserId: string;
  externalUserId: string;
  /** add_external_contact vs add_half_external_contact (customer not yet accepted). */
  half: boolean;
  state?: string;
  welcomeCode?: string;
}

export interface FollowEdited extends Base {
  kind: 'follow.edited';
  staffUserId: string;
  externalUserId: string;
}

export interface FollowRemoved extends Base {
  kind: 'follow.removed';
  staffUserId: string;
  externalUserId: string;
  /** `staff` = del_external_contact (staff removed the customer); `customer` = del_follow_user. */
  by: 'staff' | 'customer';
  source?: string;
}

export interface FollowTransferFailed extends Base {
  kind: 'follow.transfer_failed';
  staffUserId: string;
  externalUserId: string;
  failReason?: string;
}

/** A WeCom member joined, changed or left the corp (change_contact); fields WeChat left out are absent. */
export interface StaffChanged extends Base {
  kind: 'staff.changed';
  change: 'created' | 'updated' | 'deleted';
  userId: string;
  /** The member's new userid when update_user renamed it. */
  newUserId?: string;
  name?: string;
  departments?: number[];
  position?: string;
  status?: number;
}

export interface TagChanged extends Base {
  kind: 'tag.changed';
  changeType: 'create' | 'update' | 'delete' | 'shuffle';
  tagType: 'tag' | 'tag_group';
  tagId: string;
  strategyId?: string;
}

/**
 * Who joined or left a customer group, as change_external_chat lists them (wechat-api-wecom-ops.md §2). WeChat
 * says callbacks can be lost or reordered, so this is a hint: the core re-reads the group (DESIGN §10.1).
 */
export interface GroupMemberDelta {
  direction: 'joined' | 'left';
  /** Staff userids and customers' external_userids together, as WeChat lists them (may be empty: older payloads had no list). */
  userIds: string[];
  /** MemChangeCnt, when sent. */
  count?: number;
  /** JoinScene for joins (0 invited directly or by link, 3 group QR code); QuitScene for leaves (0 left, 1 removed). */
  scene?: number;
  /** LastMemVer / CurMemVer: groupchat/get's member_version before and after the change. */
  previousVersion?: string;
  version?: string;
}

/** A customer group was created or changed (change_external_chat create / update). */
export interface GroupChanged extends Base {
  kind: 'group.changed';
  chatId: string;
  change: 'created' | 'updated';
  /** update only: UpdateDetail as WeChat names it (add_member, del_member, change_owner, change_name, change_notice, …). */
  detail?: string;
  members?: GroupMemberDelta;
}

/** A customer group was dismissed (change_external_chat dismiss); its history stays (DESIGN §10.1). */
export interface GroupDismissed extends Base {
  kind: 'group.dismissed';
  chatId: string;
}

export interface PaymentSucceeded extends Base {
  kind: 'payment.succeeded';
  appId: string;
  outTradeNo: string;
  transactionId: string;
  tradeType: string;
  tradeState: string;
  /** fen */
  amountTotal: number;
  payerTotal: number;
  currency: string;
  payerOpenid: string;
  successTime: string;
  attach?: string;
}

export interface PaymentRefunded extends Base {
  kind: 'payment.refunded';
  outTradeNo: string;
  transactionId: string;
  outRefundNo: string;
  refundId: string;
  refundStatus: 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  /** fen */
  amountTotal: number;
  amountRefund: number;
  successTime?: string;
}

export interface MessageReceived extends Base {
  kind: 'message.received';
  openid: string;
  msgType: string;
  msgId?: string;
  content?: string;
  /** The remaining message fields (MediaId, PicUrl, Location_X, …) as strings. */
  fields: Record<string, string>;
}

/** Menu clicks, views, QR scans by followers, template-send results, MP/H5 tracked behaviour. */
export interface BehaviourRecorded extends Base {
  kind: 'behaviour.recorded';
  subject: IdentityRef;
  type: string;
  properties: Record<string, unknown>;
}

/**
 * WeChat's privacy events (wechat-api-events.md §1): the user is in `OpenID` (FromUserName is the platform's
 * push service). `subjects` are the identities that openid is under this appid (an OA's follower and web-OAuth
 * openid are one id). `revokeInfo` names the withdrawn grant (DESIGN §12).
 */
export interface PrivacyNotice extends Base {
  kind: 'privacy.notice';
  action: 'info_modified' | 'revoke' | 'cancellation';
  subjects: IdentityRef[];
  revokeInfo?: string;
  /** MP only: the plugin the revocation happened in. */
  pluginId?: string;
}

/**
 * One template of a subscribe-message popup or settings change (OA 订阅通知, MP 订阅消息): the user accepted or
 * rejected messages of that template, recorded as a consent with purpose `subscribe_msg:<templateId>` (DESIGN §12).
 */
export interface SubscribeConsentObserved extends Base {
  kind: 'consent.observed';
  subject: IdentityRef;
  templateId: string;
  /** accept, reject, acceptWithAudio … as WeChat spells it. */
  status: string;
  granted: boolean;
  trigger: 'popup' | 'change';
  popupScene?: string;
}

/** OA LOCATION: carried only when `privacy.storeLocation` is on (the connector drops it otherwise). */
export interface LocationReported extends Base {
  kind: 'location.reported';
  subject: IdentityRef;
  latitude: string;
  longitude: string;
  precision?: string;
}

/** OA MASSSENDJOBFINISH: the result of a mass send, not about one person (counts as WeChat reports them). */
export interface MassSendFinished extends Base {
  kind: 'mass_send.finished';
  msgId: string;
  status: string;
  totalCount?: number;
  filterCount?: number;
  sentCount?: number;
  errorCount?: number;
}

export interface Unsupported extends Base {
  kind: 'unsupported';
  what: string;
}

export type NormalizedEvent =
  | IdentityObserved
  | SubscriptionChanged
  | FollowAdded
  | FollowEdited
  | FollowRemoved
  | FollowTransferFailed
  | TagChanged
  | StaffChanged
  | GroupChanged
  | GroupDismissed
  | PaymentSucceeded
  | PaymentRefunded
  | MessageReceived
  | BehaviourRecorded
  | PrivacyNotice
  | SubscribeConsentObserved
  | LocationReported
  | MassSendFinished
  | Unsupported;

export type NormalizedEventKind = NormalizedEvent['kind'];
