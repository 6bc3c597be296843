/**
 * The `identities.type` vocabulary (DESIGN §3) and one identity as storage keys it. The connectors name the same
 * kinds for WeChat (connectors/common/identity-types.ts); test/layering.test.ts fails if the two sets differ.
 */
export type IdentityType =
  | 'unionid'
  | 'oa_openid'
  | 'mp_openid'
  | 'h5_openid'
  | 'wecom_external_userid'
  | 'external_id'
  | 'phone'
  | 'anonymous_id';

export interface IdentityRef {
  type: IdentityType;
  scope: string;
  value: string;
}
