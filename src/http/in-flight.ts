import type Koa from 'koa';

/**
 * Counts requests being handled so a graceful stop can wait for them (a callback waiting on its inbox group commit
 * must finish before the database closes, even if its client already hung up). Once stopping, responses carry
 * `Connection: close` so keep-alive clients go away.
 */
export interface InFlight {
  stopAccepting(): void;
  drained(timeoutMs: number): Promise<boolean>;
}

export function trackInFlight(koa: Koa): InFlight {
  let count = 0;
  let stopping = false;
  let waiters: (() => void)[] = [];
  koa.middleware.unshift(async (ctx, next) => {
    count++;
    if (stopping) ctx.set('Connection', 'close');
    try {
      await next();
    } finally {
      if (--count === 0) {
        const w = waiters;
        waiters = [];
        for (const f of w) f();
      }
    }
  });
  return {
    stopAccepting() {
      stopping = true;
    },
    drained(timeoutMs) {
      if (count === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}
