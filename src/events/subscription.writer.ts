import { type Db, execute, fromDbTime, idString, select } from '../storage/sql';
import { forUpdate } from '../identity/identity.repository';
import { isDuplicateKeyError } from '../storage/sql';

export interface SubscriptionChange {
  appId: string;
  openid: string;
  customerId: string | null;
  subscribed: boolean;
  occurredAt: Date;
  /** Parametric-QR scene (prefix already stripped). */
  qrScene?: string;
}

/**
 * `oa_subscriptions` from subscribe/unsubscribe callbacks. A change older than what the row already reflects
 * (a late retry, or callbacks processed out of order by two instances) is ignored, so the row always shows the
 * latest state. Returns false when the change was stale.
 */
export async function applySubscription(db: Db, c: SubscriptionChange, now: Date): Promise<boolean> {
  const rows = await select<{ id: unknown; subscribe_time: unknown; unsubscribe_time: unknown }>(
    db,
    `SELECT id, subscribe_time, unsubscribe_time FROM oa_subscriptions WHERE app_id = ? AND openid = ?${forUpdate(db)}`,
    [c.appId, c.openid],
  );
  const scene = c.qrScene !== undefined ? qrColumns(c.qrScene) : undefined;
  const row = rows[0];
  if (!row) {
    try {
      await execute(
        db,
        `INSERT INTO oa_subscriptions (app_id, openid, customer_id, subscribed, subscribe_time, unsubscribe_time, scene, qr_scene, qr_scene_str, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          c.appId,
          c.openid,
          c.customerId,
          c.subscribed,
          c.subscribed ? c.occurredAt : null,
          c.subscribed ? null : c.occurredAt,
          scene ? 'ADD_SCENE_QR_CODE' : null,
          scene?.qrScene ?? null,
          scene?.qrSceneStr ?? null,
          now,
          now,
        ],
      );
      return true;
    } catch (err) {
      // Created meanwhile by a full sync: apply the change to that row instead.
      if (!isDuplicateKeyError(err)) throw err;
      return applySubscription(db, c, now);
    }
  }
  const latest = Math.max(fromDbTime(row.subscribe_time)?.getTime() ?? 0, fromDbTime(row.unsubscribe_time)?.getTime() ?? 0);
  if (c.occurredAt.getTime() < latest) return false;
  const sets = c.subscribed
    ? ['subscribed = 1', 'subscribe_time = ?', ...(scene ? ["scene = 'ADD_SCENE_QR_CODE'", 'qr_scene = ?', 'qr_scene_str = ?'] : [])]
    : ['subscribed = 0', 'unsubscribe_time = ?'];
  const params: unknown[] = [c.occurredAt, ...(c.subscribed && scene ? [scene.qrScene, scene.qrSceneStr] : [])];
  await execute(db, `UPDATE oa_subscriptions SET ${sets.join(', ')}, customer_id = COALESCE(?, customer_id), updated_at = ? WHERE id = ?`, [
    ...params,
    c.customerId,
    now,
    idString(row.id),
  ]);
  return true;
}

/** A numeric scene is `qr_scene` (scene_id), anything else `qr_scene_str` (wechat-api.md §2.2). */
function qrColumns(scene: string): { qrScene: string | null; qrSceneStr: string | null } {
  return /^\d{1,10}$/.test(scene) ? { qrScene: scene, qrSceneStr: null } : { qrScene: null, qrSceneStr: scene.slice(0, 128) };
}
