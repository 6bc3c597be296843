/** Identity kinds of DESIGN §3 (`identities.type`). `scope` is the appid / corpid / open-platform id. */
export const IDENTITY_TYPES = [
  'unionid',
  'oa_openid',
  'mp_openid',
  'h5_openid',
  'wecom_external_userid',
  'external_id',
  'phone',
  'anonymous_id',
] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

export interface IdentityRef {
  type: IdentityType;
  scope: string;
  value: string;
}

/**
 * DESIGN §4: unionid > wecom_external_userid > *_openid > external_id > phone > anonymous_id. Lower number = higher
 * priority. `external_id` is another system's own customer id, scoped by the configured source (`sources[].id`);
 * `anonymous_id` a visitor's id before login (§11), scoped by the H5/MP appid or `web`.
 */
export const IDENTITY_PRIORITY: Record<IdentityType, number> = {
  unionid: 0,
  wecom_external_userid: 1,
  oa_openid: 2,
  mp_openid: 2,
  h5_openid: 2,
  external_id: 3,
  phone: 4,
  anonymous_id: 5,
};

export function isIdentityType(v: unknown): v is IdentityType {
  return typeof v === 'string' && (IDENTITY_TYPES as readonly string[]).includes(v);
}
