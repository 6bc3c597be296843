import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { retryConflicts } from './conflict-retry';
import { execute, fromDbTime, insertIgnore, select } from './sql';

/** A lease this process holds: `fence` grows with every acquisition of the name, so a stale holder can be told apart. */
export interface Lease {
  name: string;
  holder: string;
  fence: number;
  expiresAt: Date;
}

/** A fresh holder id per acquisition (never reused, so a release can only end the holder's own lease). */
export function newHolderId(): string {
  return randomBytes(12).toString('hex');
}

/**
 * Named leases in the `leases` table: once-only work coordinated through rows (DESIGN §3), the same on SQLite
 * and MySQL/MariaDB/Galera/TiDB. Acquire, renew and release are each one autocommitted statement, so a lease
 * is committed (and, on Galera, certified) before the guarded work starts, and no connection is held while
 * the work runs or while others wait. Times are the caller's clock; holders on several machines need clocks
 * within a small fraction of the lease length.
 */
export class LeaseStore {
  constructor(private readonly ds: DataSource) {}

  /** The lease when `name` is free or its holder's lease ran out; null when someone else holds it. */
  async acquire(name: string, ttlMs: number, now: Date, holder = newHolderId()): Promise<Lease | null> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    return retryConflicts(this.ds, { operation: 'lease.acquire' }, async () => {
      const taken = await execute(
        this.ds,
        'UPDATE leases SET holder = ?, expires_at = ?, fence = fence + 1, updated_at = ? WHERE name = ? AND (holder IS NULL OR expires_at < ?)',
        [holder, expiresAt, now, name, now],
      );
      if (taken.affected === 0) {
        const inserted = await insertIgnore(this.ds, 'leases', [
          { name, holder, fence: 1, expires_at: expiresAt, updated_at: now },
        ]);
        if (inserted === 0) return null;
      }
      const rows = await select<{ fence: unknown }>(this.ds, 'SELECT fence FROM leases WHERE name = ? AND holder = ?', [
        name,
        holder,
      ]);
      return rows[0] ? { name, holder, fence: Number(rows[0].fence), expiresAt } : null;
    });
  }

  /** Extends a lease still held; false when it was lost (ran out and taken by another holder). */
  async renew(lease: Lease, ttlMs: number, now: Date): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const { affected } = await retryConflicts(this.ds, { operation: 'lease.renew' }, () =>
      execute(this.ds, 'UPDATE leases SET expires_at = ?, updated_at = ? WHERE name = ? AND holder = ? AND fence = ?', [
        expiresAt,
        now,
        lease.name,
        lease.holder,
        lease.fence,
      ]),
    );
    if (affected > 0) lease.expiresAt = expiresAt;
    return affected > 0;
  }

  /** Frees the lease if this holder still has it (the row stays, keeping the fence counter). */
  async release(lease: Lease, now: Date): Promise<void> {
    await retryConflicts(this.ds, { operation: 'lease.release' }, () =>
      execute(
        this.ds,
        'UPDATE leases SET holder = NULL, expires_at = NULL, updated_at = ? WHERE name = ? AND holder = ? AND fence = ?',
        [now, lease.name, lease.holder, lease.fence],
      ),
    );
  }

  /** The current holder and fence (diagnostics, tests). */
  async peek(name: string): Promise<{ holder: string | null; fence: number; expiresAt: Date | null } | null> {
    const rows = await select<{ holder: string | null; fence: unknown; expires_at: unknown }>(
      this.ds,
      'SELECT holder, fence, expires_at FROM leases WHERE name = ?',
      [name],
    );
    const r = rows[0];
    if (!r) return null;
    return { holder: r.holder ?? null, fence: Number(r.fence), expiresAt: fromDbTime(r.expires_at) };
  }
}
