/** A FIFO in-process mutex whose `acquire` gives up after `waitMs` (0 = only if free right now). */
export class Mutex {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  get locked(): boolean {
    return this.held;
  }

  async acquire(waitMs: number): Promise<boolean> {
    if (!this.held) {
      this.held = true;
      return true;
    }
    if (waitMs <= 0) return false;
    return new Promise<boolean>((resolve) => {
      const grant = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(false);
      }, waitMs);
      this.waiters.push(grant);
    });
  }

  /** Hands the lock to the next waiter, if any, without letting a newcomer jump the queue. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}
