import type { OaSubscriptionRow } from '../entities/oa-subscription.entity';
import { dialectFor } from '../dialect';
import { type Db, execute, executeUnlessDuplicate, fromDbTime, idString, select } from '../sql';
import { lockRowsByKeys } from '../locked-rows';

export type SubscriptionKey = Pick<OaSubscriptionRow, 'appId' | 'openid'>;
export type SubscriptionTimes = Pick<OaSubscriptionRow, 'id' | 'subscribeTime' | 'unsubscribeTime'>;
/** A parametric-QR scene: one of the two columns is set. */
export type QrScene = Pick<OaSubscriptionRow, 'qrScene' | 'qrSceneStr'>;

/** The subscription's row, locked for the rest of the transaction on MySQL. */
export async function lockSubscription(db: Db, k: SubscriptionKey): Promise<SubscriptionTimes | undefined> {
  const [row] = await select<{ id: unknown; subscribe_time: unknown; unsubscribe_time: unknown }>(
    db,
    `SELECT id, subscribe_time, unsubscribe_time FROM oa_subscriptions WHERE app_id = ? AND openid = ?${dialectFor(db).forUpdate}`,
    [k.appId, k.openid],
  );
  return (
    row && {
      id: idString(row.id),
      subscribeTime: fromDbTime(row.subscribe_time),
      unsubscribeTime: fromDbTime(row.unsubscribe_time),
    }
  );
}

/** `appId|openid`: one subscription, as a map key. */
export function subscriptionKey(k: SubscriptionKey): string {
  return `${k.appId}\u0000${k.openid}`;
}

/** lockSubscription for many at once (an inbox batch): subscriptionKey → the row, or null where there is none. */
export async function lockSubscriptions(
  db: Db,
  keys: readonly SubscriptionKey[],
): Promise<Map<string, SubscriptionTimes | null>> {
  const out = new Map<string, SubscriptionTimes | null>(keys.map((k) => [subscriptionKey(k), null]));
  const rows = await lockRowsByKeys<{
    id: unknown;
    app_id: string;
    openid: string;
    subscribe_time: unknown;
    unsubscribe_time: unknown;
  }>(
    db,
    'oa_subscriptions',
    'id, app_id, openid, subscribe_time, unsubscribe_time',
    ['app_id', 'openid'],
    keys.map((k) => [k.appId, k.openid]),
  );
  for (const r of rows)
    out.set(subscriptionKey({ appId: String(r.app_id), openid: String(r.openid) }), {
      id: idString(r.id),
      subscribeTime: fromDbTime(r.subscribe_time),
      unsubscribeTime: fromDbTime(r.unsubscribe_time),
    });
  return out;
}

export type NewSubscription = SubscriptionKey &
  Pick<OaSubscriptionRow, 'customerId' | 'subscribed' | 'subscribeTime' | 'unsubscribeTime'> & { qr?: QrScene };

/** Inserts the subscription; false when another writer (a full sync) created it meanwhile. */
export async function insertSubscription(db: Db, s: NewSubscription, now: Date): Promise<boolean> {
  const inserted = await executeUnlessDuplicate(
    db,
    `INSERT INTO oa_subscriptions (app_id, openid, customer_id, subscribed, subscribe_time, unsubscribe_time, scene, qr_scene, qr_scene_str, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      s.appId,
      s.openid,
      s.customerId,
      s.subscribed,
      s.subscribeTime,
      s.unsubscribeTime,
      s.qr ? 'ADD_SCENE_QR_CODE' : null,
      s.qr?.qrScene ?? null,
      s.qr?.qrSceneStr ?? null,
      now,
      now,
    ],
  );
  return inserted !== undefined;
}

/** Subscribed at `at` (with the scene when it came through a parametric QR code); a null customer keeps the stored one. */
export async function markSubscribed(
  db: Db,
  id: string,
  at: Date,
  qr: QrScene | undefined,
  customerId: string | null,
  now: Date,
): Promise<void> {
  const sets = [
    'subscribed = 1',
    'subscribe_time = ?',
    ...(qr ? ["scene = 'ADD_SCENE_QR_CODE'", 'qr_scene = ?', 'qr_scene_str = ?'] : []),
  ];
  const params = [at, ...(qr ? [qr.qrScene, qr.qrSceneStr] : [])];
  await execute(
    db,
    `UPDATE oa_subscriptions SET ${sets.join(', ')}, customer_id = COALESCE(?, customer_id), updated_at = ? WHERE id = ?`,
    [...params, customerId, now, id],
  );
}

export async function markUnsubscribed(
  db: Db,
  id: string,
  at: Date,
  customerId: string | null,
  now: Date,
): Promise<void> {
  await execute(
    db,
    'UPDATE oa_subscriptions SET subscribed = 0, unsubscribe_time = ?, customer_id = COALESCE(?, customer_id), updated_at = ? WHERE id = ?',
    [at, customerId, now, id],
  );
}

/** Non-empty OA remarks of these customers' subscriptions, in row order. */
export async function subscriptionRemarksOf(
  db: Db,
  customerIds: readonly string[],
): Promise<{ customerId: string; remark: string }[]> {
  if (customerIds.length === 0) return [];
  const rows = await select<{ customer_id: string; remark: string }>(
    db,
    `SELECT customer_id, remark FROM oa_subscriptions WHERE customer_id IN (${customerIds.map(() => '?').join(', ')}) AND remark IS NOT NULL AND remark <> '' ORDER BY id`,
    [...customerIds],
  );
  return rows.map((r) => ({ customerId: r.customer_id, remark: r.remark }));
}
