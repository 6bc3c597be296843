import type { DataSource } from '../../src/storage';
import { select } from '../../src/storage/sql';

/**
 * Waits until the gateway has processed every callback in the inbox and done every re-read the callbacks queued
 * (polling the tables); throws after `timeoutMs`. Returns how long it waited and the rows that failed.
 */
export async function drained(
  ds: DataSource,
  timeoutMs = 600_000,
): Promise<{ ms: number; failedInbox: number; failedRefresh: number }> {
  const t0 = Date.now();
  for (;;) {
    const [r] = await select<{ inbox: unknown; refresh: unknown }>(
      ds,
      "SELECT (SELECT COUNT(*) FROM inbox WHERE status IN ('pending', 'processing')) AS inbox, (SELECT COUNT(*) FROM refresh_queue WHERE status IN ('pending', 'processing')) AS refresh",
    );
    if (Number(r!.inbox) === 0 && Number(r!.refresh) === 0) break;
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`callbacks not processed within ${Math.round(timeoutMs / 60_000)} minutes`);
    await new Promise((res) => setTimeout(res, 250));
  }
  const [failed] = await select<{ inbox: unknown; refresh: unknown }>(
    ds,
    "SELECT (SELECT COUNT(*) FROM inbox WHERE status = 'failed') AS inbox, (SELECT COUNT(*) FROM refresh_queue WHERE status = 'failed') AS refresh",
  );
  return { ms: Date.now() - t0, failedInbox: Number(failed!.inbox), failedRefresh: Number(failed!.refresh) };
}
