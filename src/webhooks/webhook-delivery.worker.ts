import { Counter, Histogram, type Registry } from 'prom-client';
import type { Worker } from '../background';
import type { Services } from '../services';
import { resolveClaimStrategy, type ClaimStrategy } from '../storage/claim';
import type { WebhookEventRow } from '../storage/entities/webhook.entity';
import {
  claimDeliveries,
  recordAttempts,
  releaseExpiredLeases,
  type AttemptOutcome,
} from '../storage/webhooks/webhook-delivery.repository';
import { findWebhookEvents } from '../storage/webhooks/webhook-event.repository';
import { enabledSubscriptions, findWebhook } from '../storage/webhooks/webhook.repository';
import { nextAttemptAt } from './webhook-backoff';
import { sendWebhook } from './webhook-sender';
import { webhookSubscriptions } from './webhook-subscriptions';
import { RoundFailures } from '../workers/round-failures';

/** Idle lanes look for due deliveries (other instances' events, retries coming due) this often. */
const POLL_MS = 250;
/** The list of enabled subscriptions is re-read this often to start lanes for new ones. */
const REFRESH_MS = 1_000;
const RELEASE_EVERY_MS = 15_000;

interface DeliveryMetrics {
  deliveries: Counter<'outcome'>;
  latency: Histogram<'outcome'>;
}

function metricsOn(registry: Registry): DeliveryMetrics {
  const deliveries =
    (registry.getSingleMetric('siyu_webhook_attempts_total') as Counter<'outcome'> | undefined) ??
    new Counter({
      name: 'siyu_webhook_attempts_total',
      help: 'Outbound webhook POSTs by outcome (delivered, retry, dead)',
      labelNames: ['outcome'],
      registers: [registry],
    });
  const latency =
    (registry.getSingleMetric('siyu_webhook_attempt_seconds') as Histogram<'outcome'> | undefined) ??
    new Histogram({
      name: 'siyu_webhook_attempt_seconds',
      help: 'Outbound webhook POST duration by outcome',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  return { deliveries, latency };
}

/** Background worker (src/background.ts): delivers webhook events when `webhooks.deliver` is on. */
export function webhooksWorker(app: Services): Worker | undefined {
  if (!app.config.webhooks.deliver) return undefined;
  return startWebhookWorker(app);
}

/**
 * One lane per enabled subscription, so a slow or failing receiver never holds up the others. A lane re-reads
 * its subscription before each claim (a disabled or deleted one stops at once, on every instance), claims a
 * batch (committed before any POST), sends it with `webhooks.concurrency` POSTs in flight and records every
 * attempt. Several instances run lanes for the same subscription and take disjoint deliveries.
 */
export function startWebhookWorker(app: Services): Worker {
  const cfg = app.config.webhooks;
  const strategy: ClaimStrategy = resolveClaimStrategy(app.ds, app.config.database.claim);
  const metrics = metricsOn(app.metrics.registry);
  const subs = webhookSubscriptions(app.ds);
  const lanes = new Map<string, Promise<void>>();
  const refreshes = new RoundFailures(app.logger, 'webhook subscriptions refresh');
  const waiting = new Set<() => void>();
  let stopping = false;
  let lastRelease = Number.NEGATIVE_INFINITY;

  const nap = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiting.add(done);
    });
  // The writer signals before its transaction commits: a short delay lets the commit land before the claim.
  const unsubscribe = subs.subscribe(() => {
    setTimeout(() => {
      for (const w of [...waiting]) w();
    }, 5);
  });

  const sendBatch = async (
    url: string,
    secret: string,
    claimed: Awaited<ReturnType<typeof claimDeliveries>>,
    events: Map<string, WebhookEventRow>,
  ): Promise<AttemptOutcome[]> => {
    const outcomes: AttemptOutcome[] = [];
    let next = 0;
    const one = async (): Promise<void> => {
      while (next < claimed.length) {
        const d = claimed[next++]!;
        const e = events.get(d.eventRowId);
        const attemptedAt = new Date(app.now());
        const body = e
          ? JSON.stringify({ id: e.eventId, type: e.type, occurredAt: e.occurredAt.toISOString(), data: e.data })
          : '';
        const r = e
          ? await sendWebhook(url, secret, e.eventId, body, cfg.timeoutMs)
          : { ok: false, statusCode: null, latencyMs: 0, error: 'event missing', responseExcerpt: null };
        const after = new Date(app.now());
        const retryAt = r.ok
          ? null
          : nextAttemptAt(d.attempts, after, d.retryUntil, {
              baseSeconds: cfg.backoffBaseSeconds,
              maxSeconds: cfg.backoffMaxSeconds,
            });
        const outcome = r.ok ? 'delivered' : retryAt ? 'retry' : 'dead';
        metrics.deliveries.inc({ outcome });
        metrics.latency.observe({ outcome }, r.latencyMs / 1000);
        outcomes.push({ deliveryId: d.id, attemptedAt, retryAt, ...r });
      }
    };
    await Promise.all(Array.from({ length: Math.min(cfg.concurrency, claimed.length) }, one));
    return outcomes;
  };

  const lane = async (webhookId: string): Promise<void> => {
    while (!stopping) {
      let busy = false;
      try {
        const w = await findWebhook(app.ds, webhookId);
        if (!w?.enabled) return;
        const claimed = await claimDeliveries(app.ds, strategy, {
          webhookId,
          now: new Date(app.now()),
          limit: cfg.concurrency * 8,
          leaseMs: cfg.timeoutMs * 3 + 30_000,
        });
        if (claimed.length > 0) {
          busy = true;
          const events = await findWebhookEvents(
            app.ds,
            claimed.map((d) => d.eventRowId),
          );
          const outcomes = await sendBatch(w.url, app.webhooks.secretOf(w), claimed, events);
          await recordAttempts(app.ds, webhookId, outcomes, new Date(app.now()));
        }
      } catch (err) {
        app.logger.error({ err, webhookId }, 'webhook lane round failed');
      }
      if (!busy && !stopping) await nap(POLL_MS);
    }
  };

  const supervise = async (): Promise<void> => {
    while (!stopping) {
      try {
        const nowMs = app.now();
        if (nowMs - lastRelease > RELEASE_EVERY_MS) {
          lastRelease = nowMs;
          await releaseExpiredLeases(app.ds, new Date(nowMs));
        }
        for (const s of await enabledSubscriptions(app.ds)) {
          if (lanes.has(s.id)) continue;
          lanes.set(
            s.id,
            lane(s.id).finally(() => lanes.delete(s.id)),
          );
        }
        refreshes.succeeded();
      } catch (err) {
        refreshes.failed(err);
      }
      if (!stopping) await nap(REFRESH_MS);
    }
  };
  const supervising = supervise();

  return {
    name: 'webhooks',
    async stop() {
      stopping = true;
      unsubscribe();
      for (const w of [...waiting]) w();
      await supervising;
      await Promise.all([...lanes.values()]);
    },
  };
}
