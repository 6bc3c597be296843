import type { IdentityType } from '../../connectors/common/identity-types';
import type { SiyuConfig } from '../../config';

/** Channels of `GET /api/v1/customers?channel=` (DESIGN §8.3). `pay` = has a WeChat Pay transaction. */
export const CUSTOMER_CHANNELS = ['oa', 'mp', 'h5', 'wecom', 'pay'] as const;
export type CustomerChannel = (typeof CUSTOMER_CHANNELS)[number];

/**
 * Which active customers a list, search or bulk tag assignment is about. `q` matches by prefix (so every part
 * is an index range at a million customers): display name, a WeCom follow remark, any identity value (openid,
 * unionid, external_userid) of a configured account, and — when it looks like a phone number and the caller may
 * see phones — the phone's keyed hash exactly.
 */
export interface CustomerFilter {
  q?: string;
  tagId?: string;
  channel?: CustomerChannel;
  /**
   * Has a value of a custom field (DESIGN §10.4); with `value`, one equal to it as text, number or boolean — or, for
   * a multiEnum, holding that option.
   */
  attribute?: { key: string; value?: string };
}

export function isCustomerChannel(v: unknown): v is CustomerChannel {
  return typeof v === 'string' && (CUSTOMER_CHANNELS as readonly string[]).includes(v);
}

export interface IdentityScope {
  type: IdentityType;
  scope: string;
}

/**
 * Every (type, scope) an identity of a configured account can have: q searches identity values per scope
 * through the unique (type, scope, value) key, so no second index on `value` is needed.
 */
export function identityScopes(config: SiyuConfig): IdentityScope[] {
  const out = new Map<string, IdentityScope>();
  const add = (type: IdentityType, scope: string) => out.set(`${type}|${scope}`, { type, scope });
  for (const a of config.accounts) {
    if (a.kind === 'official-account') {
      add('oa_openid', a.appId);
      add('h5_openid', a.appId);
      add('unionid', a.openPlatformId);
    }
    if (a.kind === 'mini-program') {
      add('mp_openid', a.appId);
      add('unionid', a.openPlatformId);
    }
    if (a.kind === 'wecom') {
      add('wecom_external_userid', a.corpId);
      add('unionid', a.openPlatformId);
    }
  }
  return [...out.values()];
}
