import { type Db, execute, select, toDbTime } from '../sql';

/**
 * The removals WeChat's privacy events lead to (DESIGN §12), each bounded to one customer and what came
 * through one app; the privacy module runs them inside the inbox row's transaction.
 */

/** Clears the nickname and avatar WeChat gave (the next WeChat read that may carry them fills them again). */
export async function clearProfile(db: Db, customerId: string, now: Date): Promise<number> {
  return (
    await execute(
      db,
      'UPDATE customers SET display_name = NULL, avatar_url = NULL, updated_at = ? WHERE id = ? AND (display_name IS NOT NULL OR avatar_url IS NOT NULL)',
      [toDbTime(now), customerId],
    )
  ).affected;
}

/** The customer's phone identity when a link of it came from this source (e.g. `mp.phone` of that app's login). */
export async function phoneIdentityFrom(
  db: Db,
  customerId: string,
  sources: readonly string[],
): Promise<string | undefined> {
  if (sources.length === 0) return undefined;
  const rows = await select<{ id: unknown }>(
    db,
    `SELECT DISTINCT i.id FROM identities i JOIN identity_links l ON l.identity_id = i.id
     WHERE i.customer_id = ? AND i.type = 'phone' AND l.source IN (${sources.map(() => '?').join(', ')})`,
    [customerId, ...sources],
  );
  return rows[0] ? String(rows[0].id) : undefined;
}

/** Removes one identity row and its link evidence. */
export async function deleteIdentityWithLinks(db: Db, identityId: string): Promise<void> {
  await execute(db, 'DELETE FROM identity_links WHERE identity_id = ?', [identityId]);
  await execute(db, 'DELETE FROM identities WHERE id = ?', [identityId]);
}

export async function clearPhone(db: Db, customerId: string, now: Date): Promise<void> {
  await execute(db, 'UPDATE customers SET phone_enc = NULL, updated_at = ? WHERE id = ?', [toDbTime(now), customerId]);
}

/** Timeline entries of one customer that came through one account, optionally of some types only. */
export async function deleteAccountEvents(
  db: Db,
  customerId: string,
  account: string,
  types?: readonly string[],
): Promise<number> {
  const typeFilter = types && types.length > 0 ? ` AND type IN (${types.map(() => '?').join(', ')})` : '';
  return (
    await execute(db, `DELETE FROM events WHERE customer_id = ? AND account = ?${typeFilter}`, [
      customerId,
      account,
      ...(types ?? []),
    ])
  ).affected;
}

/** Everything else keyed by one openid of one app: the OA subscription, WeChat's tag state, payments' payer. */
export async function deleteOpenidTraces(db: Db, appId: string, openid: string): Promise<number> {
  let n = (await execute(db, 'DELETE FROM oa_subscriptions WHERE app_id = ? AND openid = ?', [appId, openid])).affected;
  n += (await execute(db, 'DELETE FROM remote_tag_state WHERE account = ? AND subject = ?', [appId, openid])).affected;
  n += (
    await execute(
      db,
      'UPDATE transactions SET customer_id = NULL, payer_openid = NULL WHERE app_id = ? AND payer_openid = ?',
      [appId, openid],
    )
  ).affected;
  return n;
}

/** How many identities the customer still has. */
export async function identityCount(db: Db, customerId: string): Promise<number> {
  const rows = await select<{ n: unknown }>(db, 'SELECT COUNT(*) AS n FROM identities WHERE customer_id = ?', [
    customerId,
  ]);
  return Number(rows[0]?.n ?? 0);
}

/** Inbox rows one app's traffic wrote for this customer, or that linked this identity (read before deleting them). */
export async function inboxIdsOfAccount(
  db: Db,
  customerId: string,
  account: string,
  identityId: string,
): Promise<string[]> {
  const rows = await select<{ inbox_id: unknown }>(
    db,
    `SELECT inbox_id FROM events WHERE customer_id = ? AND account = ? AND inbox_id IS NOT NULL
     UNION SELECT inbox_id FROM identity_links WHERE identity_id = ? AND inbox_id IS NOT NULL`,
    [customerId, account, identityId],
  );
  return rows.map((r) => String(r.inbox_id));
}
