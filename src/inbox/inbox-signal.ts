import type { DataSource } from '../storage';

/**
 * In-process wake-up between the callback intake and the inbox processor of the same gateway (they share one
 * DataSource). Other instances find the rows by polling; this only makes the local processor prompt.
 */
export class InboxSignal {
  private listeners = new Set<() => void>();
  private inFlight = 0;
  private lastCallbackAt = Number.NEGATIVE_INFINITY;

  /** A callback request started / ended (the WeChat router brackets every request). */
  enter(): void {
    this.inFlight++;
    this.lastCallbackAt = performance.now();
  }

  leave(): void {
    this.inFlight--;
  }

  /**
   * Callbacks are arriving (one in flight, or one within `windowMs`): acks within WeChat's 5 s come first, so
   * the processor works in short turns until the burst is over.
   */
  busy(windowMs = 100): boolean {
    return this.inFlight > 0 || performance.now() - this.lastCallbackAt < windowMs;
  }

  /** At least `atLeast` callbacks are being handled at this moment: the gateway, not WeChat, sets the pace. */
  crowded(atLeast: number): boolean {
    return this.inFlight >= atLeast;
  }

  notify(): void {
    for (const l of this.listeners) l();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const signals = new WeakMap<DataSource, InboxSignal>();

/**
 * Keyed by the database, not built by src/services.ts: a commit wakes every processor in this process that
 * drains the same database, whichever service graph wrote it (tests run two on one database).
 */
export function inboxSignal(ds: DataSource): InboxSignal {
  let s = signals.get(ds);
  if (!s) {
    s = new InboxSignal();
    signals.set(ds, s);
  }
  return s;
}
