import type { WebhookEventRow } from '../entities/webhook.entity';
import { type Db, fromDbTime, fromJsonText, idString, insertIgnore, select } from '../sql';

export type NewWebhookEvent = Omit<WebhookEventRow, 'id'>;

/**
 * Writes events and one pending delivery per event and subscription that wants them, in the caller's
 * transaction (DESIGN §11: the outbox commits with the change it reports); `retryUntil` bounds the retries.
 */
export async function insertWebhookEvents(
  db: Db,
  events: readonly NewWebhookEvent[],
  webhookIds: readonly string[],
  now: Date,
  retryUntil: Date,
): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const part = events.slice(i, i + 500);
    await insertIgnore(
      db,
      'webhook_events',
      part.map((e) => ({ event_id: e.eventId, type: e.type, occurred_at: e.occurredAt, data: e.data })),
    );
    const rows = await select(
      db,
      `SELECT id FROM webhook_events WHERE event_id IN (${part.map(() => '?').join(', ')})`,
      part.map((e) => e.eventId),
    );
    await insertIgnore(
      db,
      'webhook_deliveries',
      rows.flatMap((r) =>
        webhookIds.map((webhookId) => ({
          webhook_id: webhookId,
          event_row_id: idString(r.id),
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          retry_until: retryUntil,
          created_at: now,
          updated_at: now,
        })),
      ),
    );
  }
}

export async function findWebhookEvents(db: Db, rowIds: readonly string[]): Promise<Map<string, WebhookEventRow>> {
  const out = new Map<string, WebhookEventRow>();
  for (let i = 0; i < rowIds.length; i += 500) {
    const part = rowIds.slice(i, i + 500);
    const rows = await select(
      db,
      `SELECT id, event_id, type, occurred_at, data FROM webhook_events WHERE id IN (${part.map(() => '?').join(', ')})`,
      [...part],
    );
    for (const r of rows) {
      const id = idString(r.id);
      out.set(id, {
        id,
        eventId: String(r.event_id),
        type: String(r.type),
        occurredAt: fromDbTime(r.occurred_at)!,
        data: fromJsonText<Record<string, unknown>>(r.data) ?? {},
      });
    }
  }
  return out;
}
