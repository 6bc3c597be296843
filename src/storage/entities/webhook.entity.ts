import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** An outbound webhook subscription (DESIGN §11); the signing secret is sealed with `security.dataKey`. */
export interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  secretSealed: string;
  enabled: boolean;
  createdBy: string | null;
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One event written in the transaction of the change it reports; `eventId` is the receiver's dedupe key. */
export interface WebhookEventRow {
  id: string;
  eventId: string;
  type: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/**
 * One event for one subscription. `pending` waits for `nextAttemptAt` (a failed attempt leaves it pending with
 * `attempts` > 0), `sending` is claimed until `lockedUntil`, then `delivered` or `dead`.
 */
export type WebhookDeliveryStatus = 'pending' | 'sending' | 'delivered' | 'dead';

export interface WebhookDeliveryRow {
  id: string;
  webhookId: string;
  eventRowId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  retryUntil: Date;
  lockedUntil: Date | null;
  claimToken: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One POST of a delivery. */
export interface WebhookAttemptRow {
  id: string;
  deliveryId: string;
  webhookId: string;
  attemptedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  ok: boolean;
  error: string | null;
  responseExcerpt: string | null;
}

export const WebhookEntity = new EntitySchema<WebhookRow>({
  name: 'Webhook',
  tableName: 'webhooks',
  columns: {
    id: col.id(),
    url: col.str('url', 1024),
    events: col.json('events'),
    description: col.str('description', 255, true),
    secretSealed: col.text('secret_sealed'),
    enabled: col.bool('enabled', true),
    createdBy: col.key('created_by', 128, { nullable: true }),
    deletedAt: col.time('deleted_at', true),
    createdAt: col.timeNow('created_at'),
    updatedAt: col.timeNow('updated_at'),
  },
});

export const WebhookEventEntity = new EntitySchema<WebhookEventRow>({
  name: 'WebhookEvent',
  tableName: 'webhook_events',
  columns: {
    id: col.id(),
    eventId: col.key('event_id', 36),
    type: col.key('type', 32),
    occurredAt: col.time('occurred_at'),
    data: col.json('data'),
  },
  uniques: [{ name: 'uq_webhook_events_event_id', columns: ['eventId'] }],
});

export const WebhookDeliveryEntity = new EntitySchema<WebhookDeliveryRow>({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  columns: {
    id: col.id(),
    webhookId: col.ref('webhook_id'),
    eventRowId: col.ref('event_row_id'),
    status: col.key('status', 16),
    attempts: col.int('attempts', { default: 0 }),
    nextAttemptAt: col.time('next_attempt_at'),
    retryUntil: col.time('retry_until'),
    lockedUntil: col.time('locked_until', true),
    claimToken: col.key('claim_token', 24, { nullable: true }),
    lastStatusCode: col.int('last_status_code', { nullable: true }),
    lastError: col.str('last_error', 255, true),
    deliveredAt: col.time('delivered_at', true),
    createdAt: col.timeNow('created_at'),
    updatedAt: col.timeNow('updated_at'),
  },
  uniques: [{ name: 'uq_webhook_deliveries_event', columns: ['webhookId', 'eventRowId'] }],
  indices: [
    { name: 'idx_webhook_deliveries_due', columns: ['webhookId', 'status', 'nextAttemptAt'] },
    { name: 'idx_webhook_deliveries_lease', columns: ['status', 'lockedUntil'] },
    { name: 'idx_webhook_deliveries_claim', columns: ['claimToken'] },
  ],
});

export const WebhookAttemptEntity = new EntitySchema<WebhookAttemptRow>({
  name: 'WebhookAttempt',
  tableName: 'webhook_attempts',
  columns: {
    id: col.id(),
    deliveryId: col.ref('delivery_id'),
    webhookId: col.ref('webhook_id'),
    attemptedAt: col.time('attempted_at'),
    statusCode: col.int('status_code', { nullable: true }),
    latencyMs: col.int('latency_ms'),
    ok: col.bool('ok'),
    error: col.str('error', 255, true),
    responseExcerpt: col.text('response_excerpt', true),
  },
  indices: [{ name: 'idx_webhook_attempts_delivery', columns: ['deliveryId', 'id'] }],
});
