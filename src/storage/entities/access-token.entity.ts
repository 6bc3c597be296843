import { EntitySchema } from 'typeorm';
import { col } from './columns';

/**
 * A token or ticket shared by every instance (DESIGN §6). `kind`: access_token, jsapi_ticket,
 * agent_config_ticket, …; `tokenKey` separates tokens of one account made with different secrets
 * (WeCom contact vs agent secret), '' when there is only one. `version` increments on every refresh.
 */
export interface AccessTokenRow {
  id: string;
  account: string;
  kind: string;
  tokenKey: string;
  value: string;
  expiresAt: Date;
  refreshedAt: Date;
  version: number;
}

export const AccessTokenEntity = new EntitySchema<AccessTokenRow>({
  name: 'AccessToken',
  tableName: 'access_tokens',
  columns: {
    id: col.id(),
    account: col.key('account', 64),
    kind: col.key('kind', 32),
    tokenKey: col.key('token_key', 64, { default: '' }),
    value: col.text('value'),
    expiresAt: col.time('expires_at'),
    refreshedAt: col.timeNow('refreshed_at'),
    version: col.int('version', { default: 1 }),
  },
  uniques: [{ name: 'uq_access_tokens_account_kind_key', columns: ['account', 'kind', 'tokenKey'] }],
});
