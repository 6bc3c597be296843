import type { DataSource } from 'typeorm';
import { type Db, execute, forUpdateSkipLocked, fromDbTime, idString, select } from '../sql';
import { conflictRetryingTransaction } from '../conflict-retry';
import { findOutboxByIds } from './outbox.repository';
import type { OutboxItem } from './outbox.types';

/**
 * Claims due pending rows for one pusher (DESIGN §3, §6: outbox delivery happens once across instances).
 * MySQL: `FOR UPDATE SKIP LOCKED` inside a READ COMMITTED transaction (no gap locks against the write-back of
 * the previous round; a deadlock is retried), then the rows are marked in_flight with a lease, so concurrent
 * pushers take disjoint rows. SQLite: one instance by design, and the transaction is serialised by
 * the connection gate. Rows whose lease ran out (a pusher died mid-call) go back to pending first; rows of
 * accounts a rate limit blocks (`exclude`) stay where they are.
 */
export async function claimDue(
  ds: DataSource,
  opts: {
    owner: string;
    now: Date;
    limit: number;
    leaseMs: number;
    exclude?: readonly { channel: string; account: string }[];
  },
): Promise<OutboxItem[]> {
  const exclude = opts.exclude ?? [];
  const skip = exclude.map(() => ' AND NOT (channel = ? AND account = ?)').join('');
  const ids = await conflictRetryingTransaction(ds, { operation: 'outbox.claim' }, async (m) => {
    await reclaimExpired(m, opts.now);
    const rows = await select(
      m,
      `SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?${skip} ORDER BY next_attempt_at, id LIMIT ${Math.trunc(opts.limit)}${forUpdateSkipLocked(m)}`,
      [opts.now, ...exclude.flatMap((e) => [e.channel, e.account])],
    );
    const claimed = rows.map((r) => idString(r.id));
    for (let i = 0; i < claimed.length; i += 500) {
      const part = claimed.slice(i, i + 500);
      await execute(
        m,
        `UPDATE outbox SET status = 'in_flight', locked_by = ?, locked_until = ?, updated_at = ? WHERE id IN (${part.map(() => '?').join(', ')})`,
        [opts.owner, new Date(opts.now.getTime() + opts.leaseMs), opts.now, ...part],
      );
    }
    return claimed;
  });
  return findOutboxByIds(ds, ids);
}

async function reclaimExpired(db: Db, now: Date): Promise<void> {
  await execute(
    db,
    "UPDATE outbox SET status = 'pending', locked_by = NULL, locked_until = NULL WHERE status = 'in_flight' AND locked_until < ?",
    [now],
  );
}

/** The earliest time a pending row becomes due, or null when nothing is pending. */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const rows = await select(db, "SELECT MIN(next_attempt_at) AS t FROM outbox WHERE status = 'pending'");
  return fromDbTime(rows[0]?.t);
}
