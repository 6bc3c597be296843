import type { IdentityRef } from '../../../connectors/common/identity-types';
import type { ExternalContactWire } from '../../../connectors/wecom/client-types';
import type { WecomAccount } from '../../../config';
import type { BulkObservation } from '../identity/bulk-resolver';

/**
 * external_userid always; unionid only when WeCom returned one (type 1 customers of a bound corp;
 * wechat-api.md §5.8) — never guessed. Name and avatar fill the customer's display fields.
 */
export function contactObservation(account: WecomAccount, c: ExternalContactWire): BulkObservation {
  const identities: IdentityRef[] = [
    { type: 'wecom_external_userid', scope: account.corpId, value: c.external_userid },
  ];
  if (c.unionid) identities.push({ type: 'unionid', scope: account.openPlatformId, value: c.unionid });
  const profile: NonNullable<BulkObservation['profile']> = {};
  if (c.name) profile.displayName = c.name;
  if (c.avatar) profile.avatarUrl = c.avatar;
  return { identities, profile };
}
