import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** A consumed H5 OAuth state (single use across instances), kept until it would have expired anyway. */
export interface OauthUsedStateRow {
  id: string;
  state: string;
  expiresAt: Date;
}

export const OauthUsedStateEntity = new EntitySchema<OauthUsedStateRow>({
  name: 'OauthUsedState',
  tableName: 'oauth_used_states',
  columns: {
    id: col.id(),
    state: col.key('state', 64),
    expiresAt: col.time('expires_at'),
  },
  uniques: [{ name: 'uq_oauth_used_states_state', columns: ['state'] }],
  indices: [{ name: 'idx_oauth_used_states_expires', columns: ['expiresAt'] }],
});
