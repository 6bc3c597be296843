/**
 * Concurrent group commits on MySQL can deadlock each other: `INSERT … ON DUPLICATE KEY UPDATE` takes next-key
 * locks on the dedupe_key index while checking for duplicates, and two multi-row inserts whose keys interleave
 * can wait on each other. InnoDB then rolls one statement back whole (nothing of it is stored), so running it
 * again is safe; without this its callbacks would be answered 503 and only recovered by WeChat's retry.
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-locks-set.html
 */
export function isDeadlock(err: unknown): boolean {
  const e = err as { driverError?: { code?: unknown; errno?: unknown }; code?: unknown; errno?: unknown } | null;
  const inner = e?.driverError ?? e;
  return inner?.code === 'ER_LOCK_DEADLOCK' || inner?.errno === 1213;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `fn`, again after a short jittered pause when it lost a deadlock (at most `attempts` runs). */
export async function retryOnDeadlock<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isDeadlock(err)) throw err;
      await pause(Math.random() * 2 * attempt);
    }
  }
}
