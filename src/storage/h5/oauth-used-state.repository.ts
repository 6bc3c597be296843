import type { OauthUsedStateRow } from '../entities/oauth-used-state.entity';
import { type Db, execute, insertIgnore } from '../sql';

/** Records a state as consumed; false when some instance consumed it already (the unique key says so). */
export async function markStateUsed(
  db: Db,
  state: OauthUsedStateRow['state'],
  expiresAt: OauthUsedStateRow['expiresAt'],
): Promise<boolean> {
  return (await insertIgnore(db, 'oauth_used_states', [{ state, expires_at: expiresAt }])) > 0;
}

/** Drops consumed states whose cookie has expired anyway. */
export async function deleteExpiredStates(db: Db, now: Date): Promise<void> {
  await execute(db, 'DELETE FROM oauth_used_states WHERE expires_at < ?', [now]);
}
