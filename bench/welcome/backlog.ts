import type { DataSource } from '../../src/storage';
import { insertIgnore, select, toDbTime } from '../../src/storage/sql';

const CHUNK = 5_000;

/**
 * The backlog the welcome messages must overtake: callbacks already acknowledged and waiting for the processor, as
 * after a burst — OA text messages from distinct new openids, so draining each one is real work (a customer, an
 * identity and a timeline row), written straight into the inbox through storage.
 */
export async function fillBacklog(ds: DataSource, appId: string, rows: number): Promise<number> {
  const at = toDbTime(new Date());
  const occurredAt = new Date().toISOString();
  let inserted = 0;
  for (let from = 0; from < rows; from += CHUNK) {
    const part = Array.from({ length: Math.min(CHUNK, rows - from) }, (_, k) => {
      const i = from + k;
      const openid = `oBacklog${String(i).padStart(20, '0')}`;
      return {
        account: appId,
        channel: 'official-account',
        kind: 'oa.message.text',
        dedupe_key: `welcome-bench-backlog:${i}`,
        raw: '<xml/>',
        events: JSON.stringify([
          {
            kind: 'message.received',
            channel: 'official-account',
            account: appId,
            occurredAt,
            openid,
            msgType: 'text',
            msgId: String(7_100_000_000_000_000_000n + BigInt(i)),
            content: '在吗',
            fields: {},
          },
        ]),
        status: 'pending',
        attempts: 0,
        next_attempt_at: at,
        received_at: at,
      };
    });
    inserted += await insertIgnore(ds, 'inbox', part);
  }
  return inserted;
}

/** Inbox rows by state: still to do (pending or processing) and done. */
export async function inboxCounts(ds: DataSource): Promise<{ waiting: number; done: number; failed: number }> {
  const [r] = await select<{ waiting: unknown; done: unknown; failed: unknown }>(
    ds,
    "SELECT (SELECT COUNT(*) FROM inbox WHERE status IN ('pending', 'processing')) AS waiting, (SELECT COUNT(*) FROM inbox WHERE status = 'done') AS done, (SELECT COUNT(*) FROM inbox WHERE status = 'failed') AS failed",
  );
  return { waiting: Number(r!.waiting), done: Number(r!.done), failed: Number(r!.failed) };
}

/** The gateway's own record of the welcome codes it saw, by outcome (sending, sent, failed, expired). */
export async function welcomeOutcomes(ds: DataSource): Promise<Record<string, number>> {
  const rows = await select<{ status: string; n: unknown }>(
    ds,
    'SELECT status, COUNT(*) AS n FROM welcome_sends GROUP BY status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
