import type { IdentityType } from '../identity/identity-types';

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
  /**
   * Visitors known only by an `anonymous_id` (DESIGN §11) are left out unless asked for: `include` lists them with
   * everyone, `only` lists nobody else.
   */
  anonymous?: 'include' | 'only';
}

export interface IdentityScope {
  type: IdentityType;
  scope: string;
}
