import type { IdentityType } from '../../connectors/common/identity-types';

import type { NameSource } from './customers-api.types';

export interface NameInputs {
  id: string;
  displayName: string | null;
  /** Follow relations in id order (oldest first). */
  follows: readonly { remark: unknown; deleted: boolean }[];
  subscriptions: readonly { remark: unknown }[];
  /** Identities in id order (oldest first). */
  identities: readonly { type: IdentityType | string; scope: string; value: string }[];
}

/** Channel labels, in the order they are tried; the identity's last four characters follow the label. */
const CHANNEL_LABELS: readonly [string, (scope: string) => string][] = [
  ['wecom_external_userid', () => '企业微信客户'],
  ['oa_openid', () => '公众号粉丝'],
  ['mp_openid', () => '小程序用户'],
  ['h5_openid', () => 'H5 访客'],
  ['unionid', () => '微信用户'],
  ['external_id', (scope) => `${scope} 客户`],
  ['anonymous_id', () => '匿名访客'],
];

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const tail = (v: string): string => `…${v.slice(-4)}`;

/**
 * The best name known for a customer, so no screen titles a person by a UUID: the display name (the WeCom
 * external contact's name or the WeChat nickname, whichever WeChat gave last), else the remark a sales rep set
 * on a live WeCom relation (the oldest relation first, then ended ones), else the OA remark, else a label of the
 * channel the person came through with the last four characters of that id (`公众号粉丝 …x9Qa`), else `客户 …`
 * with the end of the customer id. Deterministic: the same rows always give the same name.
 */
export function bestName(c: NameInputs): { name: string; nameSource: NameSource } {
  const display = text(c.displayName);
  if (display) return { name: display, nameSource: 'displayName' };
  const remark = [...c.follows.filter((f) => !f.deleted), ...c.follows.filter((f) => f.deleted)]
    .map((f) => text(f.remark))
    .find((r) => r);
  if (remark) return { name: remark, nameSource: 'wecomRemark' };
  const oaRemark = c.subscriptions.map((s) => text(s.remark)).find((r) => r);
  if (oaRemark) return { name: oaRemark, nameSource: 'oaRemark' };
  for (const [type, label] of CHANNEL_LABELS) {
    const i = c.identities.find((x) => x.type === type && x.value);
    if (i) return { name: `${label(i.scope)} ${tail(i.value)}`, nameSource: 'channel' };
  }
  return { name: `客户 ${tail(c.id.replace(/-/g, ''))}`, nameSource: 'id' };
}
