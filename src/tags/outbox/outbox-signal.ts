import type { DataSource } from '../../storage';

/**
 * In-process wake-up from the services that queue pushes to the pusher of the same gateway; other instances
 * find the rows by polling.
 */
export class OutboxSignal {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const l of this.listeners) l();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const signals = new WeakMap<DataSource, OutboxSignal>();

/** Keyed by the database like inboxSignal: rows queued on it wake every pusher of this process that drains it. */
export function outboxSignal(ds: DataSource): OutboxSignal {
  let s = signals.get(ds);
  if (!s) signals.set(ds, (s = new OutboxSignal()));
  return s;
}
