import type { DataSource } from 'typeorm';
import { type ClaimStrategy, claimRows } from '../claim';
import { retryingTransaction } from '../conflict-retry';
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookDeliveryStatus } from '../entities/webhook.entity';
import { type Db, type Row, execute, fromDbTime, idString, insertIgnore, select } from '../sql';

/** A delivery with its event's public id and type, as the API lists it. */
export type WebhookDeliveryRecord = Omit<WebhookDeliveryRow, 'claimToken' | 'lockedUntil'> & {
  eventId: string;
  type: string;
};

/** The outcome of one POST of a claimed delivery. */
export interface AttemptOutcome {
  deliveryId: string;
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
  attemptedAt: Date;
  /** For a failure: when to try again, or null when the delivery is dead. */
  retryAt: Date | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toDelivery(r: Row): WebhookDeliveryRecord {
  return {
    id: idString(r.id),
    webhookId: idString(r.webhook_id),
    eventRowId: idString(r.event_row_id),
    eventId: String(r.event_id),
    type: String(r.type),
    status: String(r.status) as WebhookDeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: fromDbTime(r.next_attempt_at)!,
    retryUntil: fromDbTime(r.retry_until)!,
    lastStatusCode: num(r.last_status_code),
    lastError: text(r.last_error),
    deliveredAt: fromDbTime(r.delivered_at),
    createdAt: fromDbTime(r.created_at)!,
    updatedAt: fromDbTime(r.updated_at)!,
  };
}

const DELIVERY_COLUMNS =
  'd.id, d.webhook_id, d.event_row_id, e.event_id, e.type, d.status, d.attempts, d.next_attempt_at, d.retry_until, d.last_status_code, d.last_error, d.delivered_at, d.created_at, d.updated_at';

/**
 * Claims due deliveries of one subscription for one sender (DESIGN §11: several instances deliver each event
 * once per subscription): marked `sending` with a lease and committed before any POST (src/storage/claim.ts).
 */
export async function claimDeliveries(
  ds: DataSource,
  strategy: ClaimStrategy,
  o: { webhookId: string; now: Date; limit: number; leaseMs: number },
): Promise<{ id: string; eventRowId: string; attempts: number; retryUntil: Date }[]> {
  const rows = await claimRows(ds, strategy, {
    table: 'webhook_deliveries',
    due: "webhook_id = ? AND status = 'pending' AND next_attempt_at <= ?",
    dueParams: [o.webhookId, o.now],
    order: 'next_attempt_at, id',
    limit: o.limit,
    set: "status = 'sending', attempts = attempts + 1, locked_until = ?, updated_at = ?",
    setParams: [new Date(o.now.getTime() + o.leaseMs), o.now],
    columns: 'id, event_row_id, attempts, retry_until',
    operation: 'webhooks.claim',
  });
  return rows.map((r) => ({
    id: idString(r.id),
    eventRowId: idString(r.event_row_id),
    attempts: Number(r.attempts),
    retryUntil: fromDbTime(r.retry_until)!,
  }));
}

/** A sender that died mid-POST leaves `sending` rows; their lease ran out, so they are due again. */
export async function releaseExpiredLeases(db: Db, now: Date): Promise<number> {
  const r = await execute(
    db,
    "UPDATE webhook_deliveries SET status = 'pending', claim_token = NULL, locked_until = NULL WHERE status = 'sending' AND locked_until < ?",
    [now],
  );
  return r.affected;
}

/**
 * Records the attempts of one claimed batch and moves each delivery on: delivered, pending again at its retry
 * time, or dead. Only rows still under this sender's lease change (another sender may have taken over an expired
 * one); a redelivery asked for meanwhile is kept.
 */
export async function recordAttempts(
  ds: DataSource,
  webhookId: string,
  outcomes: readonly AttemptOutcome[],
  now: Date,
): Promise<void> {
  if (outcomes.length === 0) return;
  await retryingTransaction(ds, async (em) => {
    await insertIgnore(
      em,
      'webhook_attempts',
      outcomes.map((o) => ({
        delivery_id: o.deliveryId,
        webhook_id: webhookId,
        attempted_at: o.attemptedAt,
        status_code: o.statusCode,
        latency_ms: Math.round(o.latencyMs),
        ok: o.ok,
        error: o.error,
        response_excerpt: o.responseExcerpt,
      })),
    );
    const delivered = new Map<number | null, string[]>();
    for (const o of outcomes) {
      if (!o.ok) continue;
      const ids = delivered.get(o.statusCode) ?? [];
      ids.push(o.deliveryId);
      delivered.set(o.statusCode, ids);
    }
    for (const [code, ids] of delivered)
      for (let i = 0; i < ids.length; i += 500) {
        const part = ids.slice(i, i + 500);
        await execute(
          em,
          `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = ?, last_status_code = ?, last_error = NULL,
            locked_until = NULL, claim_token = NULL, updated_at = ?
            WHERE id IN (${part.map(() => '?').join(', ')}) AND status = 'sending'`,
          [now, code, now, ...part],
        );
      }
    for (const o of outcomes) {
      if (o.ok) continue;
      await execute(
        em,
        `UPDATE webhook_deliveries SET status = ?, next_attempt_at = ?, last_status_code = ?, last_error = ?,
          locked_until = NULL, claim_token = NULL, updated_at = ? WHERE id = ? AND status = 'sending'`,
        [o.retryAt ? 'pending' : 'dead', o.retryAt ?? now, o.statusCode, o.error, now, o.deliveryId],
      );
    }
  });
}

export async function pageDeliveries(
  db: Db,
  webhookId: string,
  f: { beforeId?: string; status?: WebhookDeliveryStatus },
  limit: number,
): Promise<WebhookDeliveryRecord[]> {
  const where = ['d.webhook_id = ?'];
  const params: unknown[] = [webhookId];
  if (f.beforeId !== undefined) {
    where.push('d.id < ?');
    params.push(f.beforeId);
  }
  if (f.status !== undefined) {
    where.push('d.status = ?');
    params.push(f.status);
  }
  const rows = await select(
    db,
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_row_id
      WHERE ${where.join(' AND ')} ORDER BY d.id DESC LIMIT ${Math.trunc(limit)}`,
    params,
  );
  return rows.map(toDelivery);
}

export async function findDelivery(db: Db, webhookId: string, id: string): Promise<WebhookDeliveryRecord | null> {
  if (!/^\d{1,19}$/.test(id)) return null;
  const [r] = await select(
    db,
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_row_id WHERE d.id = ? AND d.webhook_id = ?`,
    [id, webhookId],
  );
  return r ? toDelivery(r) : null;
}

/** The latest attempts of a delivery, newest first. */
export async function attemptsOf(db: Db, deliveryId: string, limit: number): Promise<WebhookAttemptRow[]> {
  const rows = await select(
    db,
    `SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY id DESC LIMIT ${Math.trunc(limit)}`,
    [deliveryId],
  );
  return rows.map((r) => ({
    id: idString(r.id),
    deliveryId: idString(r.delivery_id),
    webhookId: idString(r.webhook_id),
    attemptedAt: fromDbTime(r.attempted_at)!,
    statusCode: num(r.status_code),
    latencyMs: Number(r.latency_ms),
    ok: Number(r.ok) === 1 || r.ok === true,
    error: text(r.error),
    responseExcerpt: text(r.response_excerpt),
  }));
}

/**
 * Queues a delivery again now with a fresh retry window, whatever it ended as; false while it is being sent
 * (the answer of that POST decides first).
 */
export async function requeueDelivery(
  db: Db,
  webhookId: string,
  id: string,
  now: Date,
  retryUntil: Date,
): Promise<boolean> {
  const r = await execute(
    db,
    `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, retry_until = ?, updated_at = ?
      WHERE id = ? AND webhook_id = ? AND status <> 'sending'`,
    [now, retryUntil, now, id, webhookId],
  );
  return r.affected > 0;
}

/**
 * Deliveries of one subscription per stored status, a pending one split by whether it was tried (the API calls a
 * tried one `failed`), for the console's summary.
 */
export async function deliveryCounts(
  db: Db,
  webhookId: string,
): Promise<{ status: WebhookDeliveryStatus; tried: boolean; n: number }[]> {
  const rows = await select(
    db,
    `SELECT status, CASE WHEN attempts > 0 THEN 1 ELSE 0 END AS tried, COUNT(*) AS n FROM webhook_deliveries
      WHERE webhook_id = ? GROUP BY status, CASE WHEN attempts > 0 THEN 1 ELSE 0 END`,
    [webhookId],
  );
  return rows.map((r) => ({
    status: String(r.status) as WebhookDeliveryStatus,
    tried: Number(r.tried) === 1,
    n: Number(r.n),
  }));
}
