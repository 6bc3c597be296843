import type { SiyuConfig } from '../../config';

/**
 * appId / corpId / mchId → the account's configured `name` (DESIGN §8.1), so the sidebar names channels
 * ("品牌服务号") instead of showing their ids. Accounts without a name are left out.
 */
export function accountNamesOf(config: SiyuConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of config.accounts) {
    const name = a.name;
    if (!name) continue;
    const scope = 'appId' in a ? a.appId : 'corpId' in a ? a.corpId : 'mchId' in a ? a.mchId : undefined;
    if (typeof scope === 'string') out[scope] = name;
  }
  return out;
}
