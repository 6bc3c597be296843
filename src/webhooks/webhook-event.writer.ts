import { uuidv7 } from '../storage/ids';
import type { Db } from '../storage/sql';
import { insertWebhookEvents } from '../storage/webhooks/webhook-event.repository';
import type { WebhookEventType } from './webhook-event-types';
import { webhookSubscriptions } from './webhook-subscriptions';

/** Retries of a delivery stop this long after its event (DESIGN §11: 24 h, then dead). */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3600 * 1000;

/** Whether some enabled subscription wants the type: callers skip working out an event's data when not. */
export async function webhookWanted(db: Db, type: WebhookEventType): Promise<boolean> {
  return (await webhookSubscriptions(db).wanting(db, type, Date.now())).length > 0;
}

/**
 * Records outbound events of one type in the caller's transaction (pass its manager), so they commit with the
 * change they report and a rolled-back change sends nothing. Writes nothing while no enabled subscription wants
 * the type. Returns the events' public ids (empty when nobody wanted them).
 */
export async function recordWebhookEvents(
  db: Db,
  type: WebhookEventType,
  items: readonly Record<string, unknown>[],
  at: Date = new Date(),
): Promise<string[]> {
  if (items.length === 0) return [];
  const subs = webhookSubscriptions(db);
  const ids = await subs.wanting(db, type, Date.now());
  if (ids.length === 0) return [];
  const now = new Date();
  const events = items.map((data) => ({ eventId: uuidv7(at.getTime()), type, occurredAt: at, data }));
  await insertWebhookEvents(db, events, ids, now, new Date(now.getTime() + WEBHOOK_RETRY_WINDOW_MS));
  subs.notify();
  return events.map((e) => e.eventId);
}

/** One event: see recordWebhookEvents. Returns its public id, or null when nobody wanted it. */
export async function recordWebhookEvent(
  db: Db,
  type: WebhookEventType,
  data: Record<string, unknown>,
  at: Date = new Date(),
): Promise<string | null> {
  const [id] = await recordWebhookEvents(db, type, [data], at);
  return id ?? null;
}
