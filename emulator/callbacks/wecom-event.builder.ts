import { optional, type CallbackMessage, type CallbackValue } from './callback-message';
import { CallbackInputError } from './oa-event.builder';

/**
 * WeCom customer-contact callbacks for self-built apps (wechat-api.md §5.9): ToUserName = CorpID,
 * FromUserName = `sys`. Only client/admin-console actions emit these; API-made changes never do.
 * https://developer.work.weixin.qq.com/document/path/92130 (change_external_contact)
 * https://developer.work.weixin.qq.com/document/path/92130#标签变更事件 (change_external_tag)
 */
export interface WecomHeader {
  corpId: string;
  createTime: number;
}

export type ExternalContactInput =
  /** WelcomeCode is omitted when the member and customer already chatted. */
  | {
      changeType: 'add_external_contact' | 'add_half_external_contact';
      userId: string;
      externalUserId: string;
      state?: string;
      welcomeCode?: string;
    }
  | { changeType: 'edit_external_contact' | 'del_follow_user'; userId: string; externalUserId: string }
  /** Source `DELETE_BY_TRANSFER` when removed by an in-service transfer. */
  | { changeType: 'del_external_contact'; userId: string; externalUserId: string; source?: string }
  | {
      changeType: 'transfer_fail';
      userId: string;
      externalUserId: string;
      failReason: 'customer_refused' | 'customer_limit_exceed';
    };

export const EXTERNAL_CONTACT_CHANGE_TYPES = [
  'add_external_contact',
  'edit_external_contact',
  'add_half_external_contact',
  'del_external_contact',
  'del_follow_user',
  'transfer_fail',
] as const;

export interface ExternalTagInput {
  /** Tag or tag-group id; for `shuffle` the group whose tags were re-ordered (empty = group order changed). */
  id: string;
  tagType: 'tag' | 'tag_group';
  changeType: 'create' | 'update' | 'delete' | 'shuffle';
  /** Rule-group (规则组) tags only. */
  strategyId?: number;
}

/**
 * change_contact member events. Callback URLs set up after 2022-08-15 carry only UserID and Department for
 * create/update (`minimal`); older ones carry the member's fields as below. Department and IsLeaderInDept are
 * comma lists in CDATA, MainDepartment and Status bare integers.
 * https://developer.work.weixin.qq.com/document/path/90970 (成员变更通知)
 */
export type MemberChangeInput =
  | {
      changeType: 'create_user' | 'update_user';
      userId: string;
      /** update_user only, when the userid itself changed. */
      newUserId?: string;
      name?: string;
      departments?: number[];
      position?: string;
      /** 1 active, 2 disabled, 4 not activated. */
      status?: number;
      minimal?: boolean;
    }
  | { changeType: 'delete_user'; userId: string };

export const MEMBER_CHANGE_TYPES = ['create_user', 'update_user', 'delete_user'] as const;

export function buildMemberChangeEvent(h: WecomHeader, input: MemberChangeInput): CallbackMessage {
  if (!input.userId) throw new CallbackInputError('userId is required');
  const base = { ...header(h, 'change_contact'), ChangeType: input.changeType, UserID: input.userId };
  if (input.changeType === 'delete_user') return base;
  const depts = input.departments && input.departments.length > 0 ? input.departments : undefined;
  const department = optional('Department', depts?.join(','));
  if (input.minimal) return { ...base, ...optional('NewUserID', input.newUserId), ...department };
  return {
    ...base,
    ...optional('NewUserID', input.newUserId),
    ...optional('Name', input.name),
    ...department,
    ...optional('MainDepartment', depts?.[0]),
    ...optional('IsLeaderInDept', depts?.map(() => 0).join(',')),
    ...optional('Position', input.position),
    ...optional('Status', input.status),
  };
}

function header(h: WecomHeader, event: string): Record<string, CallbackValue> {
  return { ToUserName: h.corpId, FromUserName: 'sys', CreateTime: h.createTime, MsgType: 'event', Event: event };
}

export function buildExternalContactEvent(h: WecomHeader, input: ExternalContactInput): CallbackMessage {
  if (!input.userId || !input.externalUserId) throw new CallbackInputError('userId and externalUserId are required');
  const base = {
    ...header(h, 'change_external_contact'),
    ChangeType: input.changeType,
    UserID: input.userId,
    ExternalUserID: input.externalUserId,
  };
  switch (input.changeType) {
    case 'add_external_contact':
    case 'add_half_external_contact':
      return { ...base, ...optional('State', input.state), ...optional('WelcomeCode', input.welcomeCode) };
    case 'edit_external_contact':
    case 'del_follow_user':
      return base;
    case 'del_external_contact':
      return { ...base, ...optional('Source', input.source) };
    case 'transfer_fail':
      return { ...base, FailReason: input.failReason };
  }
}

export function buildExternalTagEvent(h: WecomHeader, input: ExternalTagInput): CallbackMessage {
  const base = {
    ...header(h, 'change_external_tag'),
    Id: input.id,
    TagType: input.tagType,
    ChangeType: input.changeType,
  };
  return { ...base, ...optional('StrategyId', input.strategyId) };
}

/**
 * change_external_chat (wechat-api-wecom-ops.md §2). `update` carries UpdateDetail; add_member adds JoinScene (the
 * callback's own enum: 0 invited by a member, directly or by link, 3 group QR code) and no QuitScene, as a real
 * payload shows; del_member carries QuitScene (0 left, 1 removed by the owner or an admin) and no JoinScene; both
 * then MemChangeCnt, MemChangeList (`<Item>` per userid / external_userid) and LastMemVer / CurMemVer. create,
 * dismiss and the other updates carry nothing more.
 * https://developer.work.weixin.qq.com/document/path/92130 (客户群变更事件)
 */
export type ExternalChatInput =
  | { changeType: 'create' | 'dismiss'; chatId: string }
  | { changeType: 'update'; chatId: string; updateDetail: 'change_owner' | 'change_name' | 'change_notice' }
  | {
      changeType: 'update';
      chatId: string;
      updateDetail: 'add_member';
      joinScene: 0 | 3;
      members: string[];
      lastMemVer: string;
      curMemVer: string;
    }
  | {
      changeType: 'update';
      chatId: string;
      updateDetail: 'del_member';
      quitScene: 0 | 1;
      members: string[];
      lastMemVer: string;
      curMemVer: string;
    };

export function buildExternalChatEvent(h: WecomHeader, input: ExternalChatInput): CallbackMessage {
  if (!input.chatId) throw new CallbackInputError('chatId is required');
  const base = { ...header(h, 'change_external_chat'), ChatId: input.chatId, ChangeType: input.changeType };
  if (input.changeType !== 'update') return base;
  const detail = { ...base, UpdateDetail: input.updateDetail };
  if (input.updateDetail !== 'add_member' && input.updateDetail !== 'del_member') return detail;
  if (input.members.length === 0) throw new CallbackInputError(`${input.updateDetail} needs at least one member`);
  const scene: Record<string, CallbackValue> =
    input.updateDetail === 'add_member' ? { JoinScene: input.joinScene } : { QuitScene: input.quitScene };
  return {
    ...detail,
    ...scene,
    MemChangeCnt: input.members.length,
    MemChangeList: input.members,
    LastMemVer: input.lastMemVer,
    CurMemVer: input.curMemVer,
  };
}
