/**
 * Runs one worker's batches strictly one after another, whoever asks (its own loop, a test, a CLI command):
 * `once()` queues a batch behind the current one, `all()` repeats until a batch handles nothing, `settled()`
 * waits for whatever is running (graceful stop). A failed batch does not block the next.
 */
export class SerialBatches {
  private current: Promise<number> = Promise.resolve(0);

  constructor(private readonly batch: () => Promise<number>) {}

  once(): Promise<number> {
    const next = this.current.catch(() => 0).then(() => this.batch());
    this.current = next;
    return next;
  }

  async all(): Promise<number> {
    let total = 0;
    for (let n = await this.once(); n > 0; n = await this.once()) total += n;
    return total;
  }

  async settled(): Promise<void> {
    await this.current.catch(() => undefined);
  }
}
