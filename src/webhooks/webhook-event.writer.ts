import { uuidv7 } from '../storage/ids';
import type { Db } from '../storage/sql';
import { insertWebhookEvent } from '../storage/webhooks/webhook-event.repository';
import type { WebhookEventType } from './webhook-event-types';
import { webhookSubscriptions } from './webhook-subscriptions';

/** Retries of a delivery stop this long after its event (DESIGN §11: 24 h, then dead). */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3600 * 1000;

/**
 * Records one outbound event in the caller's transaction (pass its manager), so it commits with the change it
 * reports and a rolled-back change sends nothing. Writes nothing while no enabled subscription wants the type.
 * Returns the event's public id, or null when nobody wanted it.
 */
export async function recordWebhookEvent(
  db: Db,
  type: WebhookEventType,
  data: Record<string, unknown>,
  at: Date = new Date(),
): Promise<string | null> {
  const subs = webhookSubscriptions(db);
  const ids = await subs.wanting(db, type, Date.now());
  if (ids.length === 0) return null;
  const eventId = uuidv7(at.getTime());
  const now = new Date();
  await insertWebhookEvent(
    db,
    { eventId, type, occurredAt: at, data },
    ids,
    now,
    new Date(now.getTime() + WEBHOOK_RETRY_WINDOW_MS),
  );
  subs.notify();
  return eventId;
}
