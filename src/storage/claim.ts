import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { conflictRetryingTransaction } from './conflict-retry';
import { dialectFor } from './dialect';
import { type Row, execute, idString, select } from './sql';

/** Config `database.claim`. */
export type ClaimSetting = 'auto' | 'skipLocked' | 'portable';
export type ClaimStrategy = 'skipLocked' | 'portable';

/**
 * `auto`: `skipLocked` where the server has SKIP LOCKED (MySQL 8.0.1+, MariaDB 10.6+), `portable` elsewhere
 * (TiDB, older servers, SQLite, whose single writer serialises claimers anyway).
 */
export function resolveClaimStrategy(ds: DataSource, setting: ClaimSetting): ClaimStrategy {
  if (setting !== 'auto') return setting;
  return dialectFor(ds).capabilities.skipLocked ? 'skipLocked' : 'portable';
}

/** One queue's claim, in SQL fragments over that table's own columns. */
export interface ClaimSpec {
  table: string;
  /** Which rows are due, e.g. `status = 'pending' AND next_attempt_at <= ?`. */
  due: string;
  dueParams: unknown[];
  /** Claim order, e.g. `next_attempt_at, id`. */
  order: string;
  limit: number;
  /** What marks a row claimed, e.g. `status = 'processing', attempts = attempts + 1, locked_until = ?`. */
  set: string;
  setParams: unknown[];
  /** Columns read back for the claimed rows. */
  columns: string;
  /** For the conflict metric: `inbox.claim`, … */
  operation: string;
}

/**
 * Claims due rows for one worker in a short transaction of its own, committed before any side effect (DESIGN
 * §3), so a claim lost to a conflict costs a re-claim and nothing else. Each claim writes a fresh token to the
 * table's `claim_token` column and reads its rows back by it.
 * - `skipLocked`: `SELECT … FOR UPDATE SKIP LOCKED`, then an UPDATE of those ids: concurrent claimers pass
 *   over each other's rows instead of waiting.
 * - `portable`: one atomic `UPDATE … ORDER BY … LIMIT n` (SQLite: `WHERE id IN (SELECT … LIMIT n)`), for
 *   servers without SKIP LOCKED such as TiDB; a second claimer waits for the first one's short commit at most.
 * Both run at READ COMMITTED on MySQL (no gap locks against concurrent inserts) and are retried on 1213/1205.
 */
export async function claimRows(ds: DataSource, strategy: ClaimStrategy, spec: ClaimSpec): Promise<Row[]> {
  const limit = Math.max(1, Math.trunc(spec.limit));
  return conflictRetryingTransaction(ds, { operation: spec.operation }, async (em) => {
    const token = randomBytes(12).toString('hex');
    if (strategy === 'skipLocked') {
      const due = await select<{ id: unknown }>(
        em,
        `SELECT id FROM ${spec.table} WHERE ${spec.due} ORDER BY ${spec.order} LIMIT ${limit}${dialectFor(em).claimLock}`,
        spec.dueParams,
      );
      if (due.length === 0) return [];
      const ids = due.map((r) => idString(r.id));
      await execute(
        em,
        `UPDATE ${spec.table} SET ${spec.set}, claim_token = ? WHERE id IN (${ids.map(() => '?').join(', ')})`,
        [...spec.setParams, token, ...ids],
      );
    } else {
      const sql = dialectFor(ds).capabilities.updateOrderLimit
        ? `UPDATE ${spec.table} SET ${spec.set}, claim_token = ? WHERE ${spec.due} ORDER BY ${spec.order} LIMIT ${limit}`
        : `UPDATE ${spec.table} SET ${spec.set}, claim_token = ? WHERE id IN (SELECT id FROM ${spec.table} WHERE ${spec.due} ORDER BY ${spec.order} LIMIT ${limit})`;
      const { affected } = await execute(em, sql, [...spec.setParams, token, ...spec.dueParams]);
      if (affected === 0) return [];
    }
    return select(em, `SELECT ${spec.columns} FROM ${spec.table} WHERE claim_token = ? ORDER BY id`, [token]);
  });
}
