export type { WebhookEventType } from './webhook-event-types';

/** A subscription as the API shows it (DESIGN §13); `secret` only in the answer that created it. */
export interface WebhookJson {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  secret?: string;
}

/** `GET /api/v1/webhooks/:id`: the subscription and its deliveries per status (statuses as `DeliveryStatusJson`). */
export interface WebhookDetailJson extends WebhookJson {
  deliveries: Partial<Record<DeliveryStatusJson, number>>;
}

export interface WebhookListJson {
  items: WebhookJson[];
  nextCursor: string | null;
}

/** `failed`: the last attempt failed and another is scheduled at `nextAttemptAt`. */
export type DeliveryStatusJson = 'pending' | 'delivered' | 'failed' | 'dead';

export interface WebhookDeliveryJson {
  id: string;
  eventId: string;
  type: string;
  status: DeliveryStatusJson;
  attempts: number;
  lastStatusCode?: number;
  lastError?: string;
  deliveredAt?: string;
  nextAttemptAt?: string;
  createdAt: string;
}

export interface WebhookDeliveryListJson {
  items: WebhookDeliveryJson[];
  nextCursor: string | null;
}

export interface WebhookAttemptJson {
  at: string;
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

/** `GET /api/v1/webhooks/:id/deliveries/:deliveryId`: the delivery, its latest attempts and the body sent. */
export interface WebhookDeliveryDetailJson extends WebhookDeliveryJson {
  attemptsLog: WebhookAttemptJson[];
  body: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
}
