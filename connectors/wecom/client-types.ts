/** Wire shapes of the WeCom customer-contact APIs (wechat-api.md §5), as WeCom sends them. */

export interface ExternalContactWire {
  external_userid: string;
  name?: string;
  position?: string;
  avatar?: string;
  corp_name?: string;
  corp_full_name?: string;
  /** 1 WeChat user, 2 WeCom user. */
  type?: number;
  gender?: number;
  /** Only for type 1 and a corp bound to an Open Platform account; may be absent, null or "". */
  unionid?: string | null;
  external_profile?: unknown;
}

export interface FollowTagWire {
  group_name?: string;
  tag_name?: string;
  /** Absent for personal tags (type 2). */
  tag_id?: string;
  type?: number;
}

/** externalcontact/get `follow_user[]` element. */
export interface FollowUserWire {
  userid: string;
  remark?: string;
  description?: string;
  createtime?: number;
  tags?: FollowTagWire[];
  remark_corp_name?: string;
  remark_mobiles?: string[];
  oper_userid?: string;
  /** Unknown integers must be accepted (§5.3). */
  add_way?: number;
  state?: string;
  wechat_channels?: { nickname?: string; source?: number };
}

/** batch/get_by_user `follow_info`: like FollowUserWire but tags are only corp tag ids. */
export interface FollowInfoWire extends Omit<FollowUserWire, 'tags'> {
  tag_id?: string[];
}

export interface ExternalContactDetail {
  external_contact: ExternalContactWire;
  follow_user: FollowUserWire[];
}

export interface ByUserPage {
  items: Array<{ external_contact: ExternalContactWire; follow_info: FollowInfoWire }>;
  /** '' at the end. */
  nextCursor: string;
}

export interface CorpTagWire {
  id: string;
  name: string;
  create_time?: number;
  order?: number;
  deleted?: boolean;
}

export interface CorpTagGroupWire {
  group_id: string;
  group_name: string;
  create_time?: number;
  order?: number;
  deleted?: boolean;
  tag?: CorpTagWire[];
}

export interface AddCorpTagRequest {
  groupId?: string;
  groupName?: string;
  order?: number;
  tags: Array<{ name: string; order?: number }>;
  agentId?: number;
}

export interface RemarkRequest {
  userid: string;
  externalUserid: string;
  remark?: string;
  description?: string;
  remarkCompany?: string;
  remarkMobiles?: string[];
  remarkPicMediaid?: string;
}

/** auth/getuserinfo: a corp member (`userid`) or a non-member visitor (`openid`, maybe `external_userid`). */
export interface WecomOauthUserWire {
  userid?: string;
  user_ticket?: string;
  openid?: string;
  external_userid?: string;
}

/** idconvert/unionid_to_external_userid: external_userid when already a customer, else pending_id. */
export interface UnionidConversionWire {
  external_userid?: string;
  pending_id?: string;
}

/** user/list_id `dept_user[]`: one row per (member, department). */
export interface ListIdPage {
  rows: Array<{ userid: string; department: number }>;
  /** '' at the end. */
  nextCursor: string;
}

/** user/get, the fields a self-built app still receives (wechat-api-wecom-ops.md §6.3). */
export interface MemberWire {
  userid: string;
  name?: string;
  department?: number[];
  main_department?: number;
  position?: string;
  /** 1 active, 2 disabled, 4 not activated, 5 left. */
  status?: number;
  alias?: string;
}

/** department/list `department[]`; name absent for third-party apps. */
export interface DepartmentWire {
  id: number;
  name?: string;
  name_en?: string;
  parentid?: number;
  order?: number;
}

/** groupchat/list: one page of customer groups (wechat-api-wecom-ops.md §1.1). */
export interface GroupChatListPage {
  /** status: 0 owner in the corp, 1 owner resigned, 2 inheritance in progress, 3 inheritance done. */
  items: Array<{ chat_id: string; status: number }>;
  /** '' at the end (WeCom may also leave the field out). */
  nextCursor: string;
}

export interface GroupChatListRequest {
  /** 0 all (default), 1 owner resigned, 2 inheritance in progress, 3 inheritance done. */
  statusFilter?: 0 | 1 | 2 | 3;
  /** ≤ 100 owners; required in practice once the app sees more than 1000 people (81017). */
  ownerUserids?: readonly string[];
  cursor?: string;
  /** 1..1000, default 1000. */
  limit?: number;
}

/** groupchat/get `member_list[]` element (wechat-api-wecom-ops.md §1.2). */
export interface GroupChatMemberWire {
  /** Staff userid (type 1) or the customer's external_userid (type 2). */
  userid: string;
  /** 1 corp member, 2 external contact. */
  type: number;
  /** Only external WeChat users of a corp bound to an open platform; may be absent or "". */
  unionid?: string | null;
  join_time?: number;
  /** 1 invited directly, 2 invite link, 3 group QR code. */
  join_scene?: number;
  invitor?: { userid?: string };
  group_nickname?: string;
  /** Only with need_name=1. */
  name?: string;
  state?: string;
}

/** groupchat/get `group_chat`. */
export interface GroupChatWire {
  chat_id: string;
  name?: string;
  owner?: string;
  create_time?: number;
  notice?: string;
  member_list?: GroupChatMemberWire[];
  admin_list?: Array<{ userid: string }>;
  /** 32-hex member-list version; the callbacks' CurMemVer compares with it. */
  member_version?: string;
}
