/** Wire shapes of H5 (OA web) OAuth (wechat-api.md §7). */

export type OauthScope = 'snsapi_base' | 'snsapi_userinfo';

/** GET /sns/oauth2/access_token and /sns/oauth2/refresh_token: the visitor's own web token, not the shared one. */
export interface OauthTokenWire {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  openid: string;
  scope: string;
  /** Present (=1) only for snapshot-mode virtual users. */
  is_snapshotuser?: number;
  /** Only for snsapi_userinfo on an OA bound to an Open Platform account. */
  unionid?: string | null;
}

/** GET /sns/userinfo; sex/province/city/country arrive as 0/"" since Oct 2021. */
export interface OauthUserInfoWire {
  openid: string;
  nickname?: string;
  sex?: number;
  province?: string;
  city?: string;
  country?: string;
  headimgurl?: string;
  privilege?: string[];
  unionid?: string | null;
}
