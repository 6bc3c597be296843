import {
  type SubscriptionTimes,
  insertSubscription,
  lockSubscription,
  markSubscribed,
  markUnsubscribed,
  subscriptionKey,
} from '../storage/events/oa-subscription.repository';
import type { Db } from '../storage/sql';

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
 * latest state. Returns false when the change was stale. `locked`: rows the transaction already read with their
 * locks (an inbox batch's, by subscriptionKey), kept up to date here.
 */
export async function applySubscription(
  db: Db,
  c: SubscriptionChange,
  now: Date,
  locked?: Map<string, SubscriptionTimes | null>,
): Promise<boolean> {
  const key = subscriptionKey(c);
  const row = locked?.has(key) ? (locked.get(key) ?? undefined) : await lockSubscription(db, c);
  const scene = c.qrScene !== undefined ? qrColumns(c.qrScene) : undefined;
  if (!row) {
    // The new row's id is not known here: a later change in the transaction reads it.
    locked?.delete(key);
    const created = await insertSubscription(
      db,
      {
        appId: c.appId,
        openid: c.openid,
        customerId: c.customerId,
        subscribed: c.subscribed,
        subscribeTime: c.subscribed ? c.occurredAt : null,
        unsubscribeTime: c.subscribed ? null : c.occurredAt,
        ...(scene ? { qr: scene } : {}),
      },
      now,
    );
    // Created meanwhile by a full sync: apply the change to that row instead.
    return created || applySubscription(db, c, now);
  }
  const latest = Math.max(row.subscribeTime?.getTime() ?? 0, row.unsubscribeTime?.getTime() ?? 0);
  if (c.occurredAt.getTime() < latest) return false;
  if (c.subscribed) {
    await markSubscribed(db, row.id, c.occurredAt, scene, c.customerId, now);
    locked?.set(key, { ...row, subscribeTime: c.occurredAt });
  } else {
    await markUnsubscribed(db, row.id, c.occurredAt, c.customerId, now);
    locked?.set(key, { ...row, unsubscribeTime: c.occurredAt });
  }
  return true;
}

/** A numeric scene is `qr_scene` (scene_id), anything else `qr_scene_str` (wechat-api.md §2.2). */
function qrColumns(scene: string): { qrScene: string | null; qrSceneStr: string | null } {
  return /^\d{1,10}$/.test(scene)
    ? { qrScene: scene, qrSceneStr: null }
    : { qrScene: null, qrSceneStr: scene.slice(0, 128) };
}
