import { randomBytes } from 'node:crypto';
import type { AppContext } from '../app-context';
import { AuditLogWriter } from '../audit/audit-log.writer';
import type { PhoneCrypto } from '../security/phone-crypto';
import { retryingTransaction } from '../storage/conflict-retry';
import type { WebhookRow } from '../storage/entities/webhook.entity';
import {
  attemptsOf,
  deliveryCounts,
  findDelivery,
  pageDeliveries,
  requeueDelivery,
  type WebhookDeliveryRecord,
} from '../storage/webhooks/webhook-delivery.repository';
import { findWebhookEvents } from '../storage/webhooks/webhook-event.repository';
import {
  findWebhook,
  insertWebhook,
  markWebhookDeleted,
  pageWebhooks,
  updateWebhook,
} from '../storage/webhooks/webhook.repository';
import type { Actor } from '../tags/tags-deps';
import { WEBHOOK_RETRY_WINDOW_MS } from './webhook-event.writer';
import type { CreateWebhookInput, UpdateWebhookInput } from './webhook-input.schema';
import { webhookSubscriptions } from './webhook-subscriptions';
import { WebhookError, webhookNotFound } from './webhook.errors';
import type {
  DeliveryStatusJson,
  WebhookDeliveryDetailJson,
  WebhookDeliveryJson,
  WebhookDeliveryListJson,
  WebhookDetailJson,
  WebhookJson,
  WebhookListJson,
} from './webhooks-api.types';

export type WebhookServiceDeps = Pick<AppContext, 'ds' | 'now'> & { sealer: PhoneCrypto };

export function webhookJson(w: WebhookRow): WebhookJson {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    description: w.description,
    enabled: w.enabled,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

function statusJson(d: Pick<WebhookDeliveryRecord, 'status' | 'attempts'>): DeliveryStatusJson {
  if (d.status === 'sending') return 'pending';
  if (d.status === 'pending') return d.attempts > 0 ? 'failed' : 'pending';
  return d.status;
}

export function deliveryJson(d: WebhookDeliveryRecord): WebhookDeliveryJson {
  const status = statusJson(d);
  return {
    id: d.id,
    eventId: d.eventId,
    type: d.type,
    status,
    attempts: d.attempts,
    ...(d.lastStatusCode !== null ? { lastStatusCode: d.lastStatusCode } : {}),
    ...(d.lastError !== null ? { lastError: d.lastError } : {}),
    ...(d.deliveredAt ? { deliveredAt: d.deliveredAt.toISOString() } : {}),
    ...(status === 'pending' || status === 'failed' ? { nextAttemptAt: d.nextAttemptAt.toISOString() } : {}),
    createdAt: d.createdAt.toISOString(),
  };
}

/**
 * Outbound webhook subscriptions (DESIGN §11): the secret is generated here, shown once and kept sealed under
 * the data key; every change is audited and reaches this process's event writer at once.
 */
export class WebhookService {
  private readonly audit: AuditLogWriter;

  constructor(private readonly deps: WebhookServiceDeps) {
    this.audit = new AuditLogWriter(deps.ds);
  }

  async list(f: { cursor?: string; limit: number }): Promise<WebhookListJson> {
    const rows = await pageWebhooks(this.deps.ds, f.cursor, f.limit + 1);
    const page = rows.slice(0, f.limit);
    return { items: page.map(webhookJson), nextCursor: rows.length > f.limit ? page[page.length - 1]!.id : null };
  }

  async get(id: string): Promise<WebhookRow> {
    const w = await findWebhook(this.deps.ds, id);
    if (!w) throw webhookNotFound(id);
    return w;
  }

  async detail(id: string): Promise<WebhookDetailJson> {
    const w = await this.get(id);
    // Counted in the deliveries' own words (`failed` = tried and due again), so the summary matches the list.
    const deliveries: WebhookDetailJson['deliveries'] = {};
    for (const c of await deliveryCounts(this.deps.ds, id)) {
      const s = statusJson({ status: c.status, attempts: c.tried ? 1 : 0 });
      deliveries[s] = (deliveries[s] ?? 0) + c.n;
    }
    return { ...webhookJson(w), deliveries };
  }

  /** The plain secret of a subscription, for signing. */
  secretOf(w: WebhookRow): string {
    return this.deps.sealer.open(w.secretSealed);
  }

  async create(input: CreateWebhookInput, actor: Actor): Promise<WebhookJson> {
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const now = new Date(this.deps.now());
    const id = await retryingTransaction(this.deps.ds, async (em) => {
      const created = await insertWebhook(
        em,
        {
          url: input.url,
          events: input.events,
          description: input.description ?? null,
          secretSealed: this.deps.sealer.seal(secret),
          createdBy: actor.name,
        },
        now,
      );
      if (input.enabled === false) await updateWebhook(em, created, { enabled: false }, now);
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'webhook.create',
          targetType: 'webhook',
          targetId: created,
          details: { url: input.url, events: input.events },
        },
        em,
      );
      return created;
    });
    webhookSubscriptions(this.deps.ds).invalidate();
    return { ...webhookJson(await this.get(id)), secret };
  }

  async update(id: string, input: UpdateWebhookInput, actor: Actor): Promise<WebhookJson> {
    await this.get(id);
    const now = new Date(this.deps.now());
    await retryingTransaction(this.deps.ds, async (em) => {
      await updateWebhook(em, id, input, now);
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'webhook.update',
          targetType: 'webhook',
          targetId: id,
          details: { ...input },
        },
        em,
      );
    });
    const subs = webhookSubscriptions(this.deps.ds);
    subs.invalidate();
    subs.notify();
    return webhookJson(await this.get(id));
  }

  async remove(id: string, actor: Actor): Promise<void> {
    const now = new Date(this.deps.now());
    const removed = await retryingTransaction(this.deps.ds, async (em) => {
      if (!(await markWebhookDeleted(em, id, now))) return false;
      await this.audit.write(
        { actor: actor.name, role: actor.role ?? null, action: 'webhook.delete', targetType: 'webhook', targetId: id },
        em,
      );
      return true;
    });
    if (!removed) throw webhookNotFound(id);
    const subs = webhookSubscriptions(this.deps.ds);
    subs.invalidate();
    subs.notify();
  }

  async deliveries(
    id: string,
    f: { cursor?: string; limit: number; status?: 'pending' | 'sending' | 'delivered' | 'dead' },
  ): Promise<WebhookDeliveryListJson> {
    await this.get(id);
    const rows = await pageDeliveries(
      this.deps.ds,
      id,
      { ...(f.cursor !== undefined ? { beforeId: f.cursor } : {}), ...(f.status ? { status: f.status } : {}) },
      f.limit + 1,
    );
    const page = rows.slice(0, f.limit);
    return { items: page.map(deliveryJson), nextCursor: rows.length > f.limit ? page[page.length - 1]!.id : null };
  }

  async delivery(id: string, deliveryId: string): Promise<WebhookDeliveryDetailJson> {
    await this.get(id);
    const d = await findDelivery(this.deps.ds, id, deliveryId);
    if (!d) throw new WebhookError('DELIVERY_NOT_FOUND', `delivery ${deliveryId} not found`);
    const event = (await findWebhookEvents(this.deps.ds, [d.eventRowId])).get(d.eventRowId)!;
    const attempts = await attemptsOf(this.deps.ds, d.id, 50);
    return {
      ...deliveryJson(d),
      attemptsLog: attempts.map((a) => ({
        at: a.attemptedAt.toISOString(),
        ok: a.ok,
        statusCode: a.statusCode,
        latencyMs: a.latencyMs,
        error: a.error,
        responseExcerpt: a.responseExcerpt,
      })),
      body: { id: event.eventId, type: event.type, occurredAt: event.occurredAt.toISOString(), data: event.data },
    };
  }

  /** Sends a delivery again now, with a fresh 24 h retry window, whatever it ended as. */
  async redeliver(id: string, deliveryId: string, actor: Actor): Promise<WebhookDeliveryJson> {
    await this.get(id);
    const now = new Date(this.deps.now());
    const found = await findDelivery(this.deps.ds, id, deliveryId);
    if (!found) throw new WebhookError('DELIVERY_NOT_FOUND', `delivery ${deliveryId} not found`);
    await retryingTransaction(this.deps.ds, async (em) => {
      const ok = await requeueDelivery(em, id, deliveryId, now, new Date(now.getTime() + WEBHOOK_RETRY_WINDOW_MS));
      if (!ok) throw new WebhookError('DELIVERY_IN_FLIGHT', 'the delivery is being sent; try again when it is done');
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'webhook.redeliver',
          targetType: 'webhook',
          targetId: id,
          details: { deliveryId },
        },
        em,
      );
    });
    webhookSubscriptions(this.deps.ds).notify();
    return deliveryJson((await findDelivery(this.deps.ds, id, deliveryId))!);
  }
}
