import type { DataSource } from 'typeorm';

/**
 * In-process wake-up between the callback intake and the inbox processor of the same gateway (they share one
 * DataSource). Other instances find the rows by polling; this only makes the local processor prompt.
 */
export class InboxSignal {
  private listeners = new Set<() => void>();

  notify(): void {
    for (const l of this.listeners) l();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const signals = new WeakMap<DataSource, InboxSignal>();

export function inboxSignal(ds: DataSource): InboxSignal {
  let s = signals.get(ds);
  if (!s) {
    s = new InboxSignal();
    signals.set(ds, s);
  }
  return s;
}
