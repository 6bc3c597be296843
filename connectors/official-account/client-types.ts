/** Wire shapes of the OA user and tag APIs (wechat-api.md §2, §3), as WeChat sends them. */

export type UserLang = 'zh_CN' | 'zh_TW' | 'en';

/** GET /cgi-bin/user/get */
export interface FollowerPageWire {
  total: number;
  count: number;
  data?: { openid?: string[] };
  next_openid?: string;
}

/** One page of followers, normalised: `nextOpenid` is '' at the end of the list. */
export interface FollowerPage {
  total: number;
  openids: string[];
  nextOpenid: string;
}

/** GET /cgi-bin/user/info; a non-follower (`subscribe: 0`) carries only `subscribe` and `openid`. */
export interface UserInfoWire {
  subscribe: 0 | 1;
  openid: string;
  language?: string;
  subscribe_time?: number;
  /** Only when the OA is bound to an Open Platform account; may be absent, null or "". */
  unionid?: string | null;
  remark?: string;
  groupid?: number;
  tagid_list?: number[];
  subscribe_scene?: string;
  qr_scene?: number;
  qr_scene_str?: string;
}

export interface OaTagWire {
  id: number;
  name: string;
  count?: number;
}

/** POST /cgi-bin/user/tag/get */
export interface TagFansPageWire {
  count: number;
  data?: { openid?: string[] };
  next_openid?: string;
}
