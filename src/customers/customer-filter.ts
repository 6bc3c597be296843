import type { IdentityType } from '../../connectors/common/identity-types';
import type { SiyuConfig } from '../../config';
import { CUSTOMER_CHANNELS, type CustomerChannel, type IdentityScope } from '../storage/customers/customer-filter';

export { CUSTOMER_CHANNELS };
export type { CustomerChannel, CustomerFilter, IdentityScope } from '../storage/customers/customer-filter';

export function isCustomerChannel(v: unknown): v is CustomerChannel {
  return typeof v === 'string' && (CUSTOMER_CHANNELS as readonly string[]).includes(v);
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
