/**
 * WeCom callback wire vocabulary (wechat-api.md §5.9, self-built app format). The decrypted XML is parsed into
 * string fields by connectors/common/xml.ts; these are the names and values the mappers read.
 * https://developer.work.weixin.qq.com/document/path/92130 (客户变更回调)
 * https://developer.work.weixin.qq.com/document/path/92277 (企业客户标签变更回调)
 */

/** The POST body before decryption: only ToUserName, AgentID and Encrypt (§5.10). */
export interface WecomEncryptedBody {
  ToUserName: string;
  AgentID?: string;
  Encrypt: string;
}

/** Common fields: ToUserName = CorpID, FromUserName = `sys`, CreateTime in Unix seconds. */
export interface WecomEventCommon {
  ToUserName: string;
  FromUserName: string;
  CreateTime: string;
  MsgType: 'event';
  Event: string;
  ChangeType: string;
}

export const CONTACT_CHANGE_TYPES = [
  'add_external_contact',
  'edit_external_contact',
  'add_half_external_contact',
  'del_external_contact',
  'del_follow_user',
  'transfer_fail',
] as const;
export type ContactChangeType = (typeof CONTACT_CHANGE_TYPES)[number];

export interface WecomContactEventFields extends WecomEventCommon {
  Event: 'change_external_contact';
  ChangeType: ContactChangeType;
  /** The staff member (member userid). */
  UserID: string;
  ExternalUserID: string;
  /** add / add_half: the 联系我 or acquisition-link state. */
  State?: string;
  /** add / add_half: usable for 20 s to send a welcome message. */
  WelcomeCode?: string;
  /** del_external_contact: `DELETE_BY_TRANSFER` when removed by an in-service transfer. */
  Source?: string;
  /** transfer_fail: `customer_refused` | `customer_limit_exceed`. */
  FailReason?: string;
}

/** change_contact member changes (party and tag changes of the directory are not customer data). */
export const MEMBER_CHANGE_TYPES = ['create_user', 'update_user', 'delete_user'] as const;
export type MemberChangeType = (typeof MEMBER_CHANGE_TYPES)[number];

/**
 * change_contact member fields. Callback URLs configured after 2022-08-15 carry only UserID and Department;
 * the rest is optional everywhere.
 * https://developer.work.weixin.qq.com/document/path/90970
 */
export interface WecomMemberEventFields extends WecomEventCommon {
  Event: 'change_contact';
  ChangeType: MemberChangeType;
  UserID: string;
  /** update_user: the member's new userid, when it changed. */
  NewUserID?: string;
  Name?: string;
  /** Comma-separated department ids. */
  Department?: string;
  MainDepartment?: string;
  Position?: string;
  /** 1 active, 2 disabled, 4 not activated. */
  Status?: string;
}

export const TAG_CHANGE_TYPES = ['create', 'update', 'delete', 'shuffle'] as const;
export type TagChangeType = (typeof TAG_CHANGE_TYPES)[number];

export interface WecomTagEventFields extends WecomEventCommon {
  Event: 'change_external_tag';
  ChangeType: TagChangeType;
  /** Tag or tag-group id; for `shuffle` the group whose tags were re-ordered (empty: the group order changed). */
  Id?: string;
  TagType?: 'tag' | 'tag_group';
  /** Rule-group (策略) tags. */
  StrategyId?: string;
}

/** change_external_chat (wechat-api-wecom-ops.md §2; https://developer.work.weixin.qq.com/document/path/92130). */
export const CHAT_CHANGE_TYPES = ['create', 'update', 'dismiss'] as const;
export type ChatChangeType = (typeof CHAT_CHANGE_TYPES)[number];

export interface WecomChatEventFields extends WecomEventCommon {
  Event: 'change_external_chat';
  ChangeType: ChatChangeType;
  ChatId: string;
  /** update only: add_member, del_member, change_owner, change_name, change_notice. */
  UpdateDetail?: string;
  /** add_member: 0 invited by a member (directly or by link), 3 scanned the group QR code (not groupchat/get's 1/2/3). */
  JoinScene?: string;
  /** del_member: 0 left, 1 removed by the owner or an admin. */
  QuitScene?: string;
  MemChangeCnt?: string;
  /** `<Item>` children, each a userid or external_userid; some older senders wrote one comma-separated string. */
  MemChangeList?: unknown;
  LastMemVer?: string;
  CurMemVer?: string;
}

export function isChatChangeType(v: string): v is ChatChangeType {
  return (CHAT_CHANGE_TYPES as readonly string[]).includes(v);
}

export function isContactChangeType(v: string): v is ContactChangeType {
  return (CONTACT_CHANGE_TYPES as readonly string[]).includes(v);
}

export function isTagChangeType(v: string): v is TagChangeType {
  return (TAG_CHANGE_TYPES as readonly string[]).includes(v);
}

export function isMemberChangeType(v: string): v is MemberChangeType {
  return (MEMBER_CHANGE_TYPES as readonly string[]).includes(v);
}
