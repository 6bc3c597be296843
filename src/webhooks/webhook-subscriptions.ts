import type { DataSource } from '../storage';
import { type Db, dsOf } from '../storage/sql';
import { enabledSubscriptions } from '../storage/webhooks/webhook.repository';

/** How long the event writer trusts its list of enabled subscriptions before reading it again. */
const TTL_MS = 2_000;

/**
 * Which enabled subscriptions want each event type, read at most every couple of seconds per database so the
 * paths that report changes pay nothing while no subscription wants their event (DESIGN §11). Changes made by
 * this process invalidate it at once; other instances' changes are seen within the TTL. Also the in-process
 * wake-up of the delivery worker.
 */
export class WebhookSubscriptions {
  private byType: Map<string, string[]> | undefined;
  private readAt = 0;
  private readonly listeners = new Set<() => void>();

  async wanting(db: Db, type: string, nowMs: number): Promise<readonly string[]> {
    if (!this.byType || nowMs - this.readAt > TTL_MS) {
      const byType = new Map<string, string[]>();
      for (const s of await enabledSubscriptions(db))
        for (const t of s.events) byType.set(t, [...(byType.get(t) ?? []), s.id]);
      this.byType = byType;
      this.readAt = nowMs;
    }
    return this.byType.get(type) ?? [];
  }

  invalidate(): void {
    this.byType = undefined;
  }

  notify(): void {
    for (const l of this.listeners) l();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const perDatabase = new WeakMap<DataSource, WebhookSubscriptions>();

/** Keyed by the database like the outbox signal: every service of this process on it shares one list. */
export function webhookSubscriptions(db: Db): WebhookSubscriptions {
  const ds = dsOf(db);
  let s = perDatabase.get(ds);
  if (!s) perDatabase.set(ds, (s = new WebhookSubscriptions()));
  return s;
}
