import type { WebhookEventRow } from '../entities/webhook.entity';
import { type Db, execute, fromDbTime, fromJsonText, idString, insertIgnore, select } from '../sql';

export type NewWebhookEvent = Omit<WebhookEventRow, 'id'>;

/**
 * Writes an event and one pending delivery per subscription that wants it, in the caller's transaction (DESIGN
 * §11: the outbox commits with the change it reports). The event's `retryUntil` bounds its retries.
 */
export async function insertWebhookEvent(
  db: Db,
  e: NewWebhookEvent,
  webhookIds: readonly string[],
  now: Date,
  retryUntil: Date,
): Promise<string> {
  const r = await execute(db, 'INSERT INTO webhook_events (event_id, type, occurred_at, data) VALUES (?, ?, ?, ?)', [
    e.eventId,
    e.type,
    e.occurredAt,
    JSON.stringify(e.data),
  ]);
  const eventRowId = r.insertId!;
  await insertIgnore(
    db,
    'webhook_deliveries',
    webhookIds.map((webhookId) => ({
      webhook_id: webhookId,
      event_row_id: eventRowId,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      retry_until: retryUntil,
      created_at: now,
      updated_at: now,
    })),
  );
  return eventRowId;
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
