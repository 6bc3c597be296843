import type { DataSource, EntityManager } from 'typeorm';
import { type ClaimSetting, type ClaimStrategy, claimRows, resolveClaimStrategy } from '../claim';
import { dialectFor } from '../dialect';
import { executeOnPool, mysqlPool } from '../driver/pool-statements';
import { type Db, execute, fromDbTime, fromJsonText, idString, select, toDbTime } from '../sql';
import { selectNewestFirst } from '../newest-first';
import type { InboxStatus } from '../entities';

/**
 * One accepted callback to store. `events` are kept as JSON: their shape is the connectors' vocabulary, which
 * the repository's user names as `E` when it reads them back.
 */
export interface InboxWrite {
  /** appId / corpId / mchId. */
  account: string;
  channel: string;
  kind: string;
  dedupeKey: string;
  raw: string;
  events: readonly unknown[];
}

/** An inbox row as the processor and the API see it. */
export interface InboxRecord<E = unknown> {
  id: string;
  account: string;
  channel: string;
  kind: string;
  dedupeKey: string;
  events: E[];
  status: InboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lockedBy: string | null;
  error: string | null;
  receivedAt: Date;
  processedAt: Date | null;
}

/** Rows per MySQL inbox INSERT (one prepared statement per size, see insertOnPool). */
export const MAX_MYSQL_INSERT_ROWS = 32;

const INSERT_COLUMNS = [
  'account',
  'channel',
  'kind',
  'dedupe_key',
  'raw',
  'events',
  'status',
  'attempts',
  'next_attempt_at',
  'received_at',
];
const LIST_COLUMNS =
  'id, account, channel, kind, dedupe_key, events, status, attempts, next_attempt_at, locked_by, error, received_at, processed_at';

function toRecord<E>(r: Record<string, unknown>): InboxRecord<E> {
  return {
    id: idString(r.id),
    account: String(r.account),
    channel: String(r.channel),
    kind: String(r.kind),
    dedupeKey: String(r.dedupe_key),
    events: fromJsonText<E[]>(r.events) ?? [],
    status: r.status as InboxStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: fromDbTime(r.next_attempt_at)!,
    lockedBy: (r.locked_by as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    receivedAt: fromDbTime(r.received_at)!,
    processedAt: fromDbTime(r.processed_at),
  };
}

/**
 * SQL for the `inbox` table (DESIGN §6). Inserts are the callback hot path: one multi-row statement per group
 * commit, prepared per batch size, that skips rows whose dedupe_key is already there (a WeChat retry) and
 * fails on anything else — unlike INSERT IGNORE, which would also turn data errors into warnings.
 */
/**
 * Inbox batches one instance may process at once: a batch spends most of its time waiting on round trips, so on a
 * server with row locks a few overlap them, kept apart by their claims as separate instances are (DESIGN §6);
 * SQLite's one writer takes one.
 */
export function inboxParallelBatches(ds: DataSource): number {
  return dialectFor(ds).capabilities.rowLocks ? 3 : 1;
}

export class InboxRepository<E = unknown> {
  private readonly mysql: boolean;
  private readonly insertSql = new Map<number, string>();

  readonly claimStrategy: ClaimStrategy;

  constructor(
    private readonly ds: DataSource,
    opts: { claim?: ClaimSetting } = {},
  ) {
    this.mysql = dialectFor(ds).family === 'mysql';
    this.claimStrategy = resolveClaimStrategy(ds, opts.claim ?? 'auto');
  }

  private insertStatement(rows: number): string {
    let sql = this.insertSql.get(rows);
    if (!sql) {
      const tuple = `(${INSERT_COLUMNS.map(() => '?').join(', ')})`;
      const values = Array.from({ length: rows }, () => tuple).join(', ');
      const head = `INSERT INTO inbox (${INSERT_COLUMNS.join(', ')}) VALUES ${values}`;
      sql = `${head}${dialectFor(this.ds).ignoreDuplicateOf(['dedupe_key'])}`;
      if (rows <= 64) this.insertSql.set(rows, sql);
    }
    return sql;
  }

  /** Commits every entry (autocommit: one statement); rows already present are left as they are. */
  async insertMany(entries: readonly InboxWrite[], now: Date): Promise<void> {
    if (entries.length === 0) return;
    const at = toDbTime(now);
    const params: unknown[] = [];
    for (const e of entries)
      params.push(e.account, e.channel, e.kind, e.dedupeKey, e.raw, JSON.stringify(e.events), 'pending', 0, at, at);
    if (!this.mysql) {
      await execute(this.ds, this.insertStatement(entries.length), params);
      return;
    }
    const width = INSERT_COLUMNS.length;
    for (let i = 0; i < entries.length; i += MAX_MYSQL_INSERT_ROWS) {
      const rows = Math.min(MAX_MYSQL_INSERT_ROWS, entries.length - i);
      await this.insertOnPool(this.insertStatement(rows), params.slice(i * width, (i + rows) * width));
    }
  }

  /**
   * MySQL: the group-commit INSERT goes straight to mysql2's pool (storage/driver/pool-statements.ts) as a prepared statement.
   * - TypeORM's query runner around a statement adds its own pool checkout, a query-log call, two broadcaster
   *   awaits, a result copy and mysql2's promise wrapper, which captures a stack trace per query: a large share
   *   of the gateway's CPU per statement, for a statement whose only result is "committed".
   * - Prepared (binary protocol), the XML and JSON values are neither escaped by mysql2 nor lexed by the server
   *   on every INSERT, which saves CPU on both sides per row.
   *   mysql2 prepares each distinct statement once per connection (an LRU); batch sizes are capped at
   *   MAX_MYSQL_INSERT_ROWS, so one instance holds at most that many × the pool size server-side statements
   *   (max_prepared_stmt_count is 16,382 by default, shared by every instance).
   * Errors are mysql2's own (code/errno), which is what storage/conflict-retry.ts and the intake's 503 look at; a
   * destroyed DataSource has no pool and rejects.
   */
  private async insertOnPool(sql: string, params: unknown[]): Promise<void> {
    const pool = mysqlPool(this.ds);
    if (!pool) throw new Error('the MySQL connection pool is closed');
    await executeOnPool(pool, sql, params);
  }

  /**
   * Claims up to `limit` due rows for `workerId` until `lockedUntil`, counting the attempt now (so a row that
   * crashes its processor still runs out of attempts). Its own short transaction, committed before the rows
   * are processed; the strategy (SKIP LOCKED or the portable UPDATE … LIMIT) is `database.claim`.
   */
  async claim(workerId: string, limit: number, now: Date, lockedUntil: Date): Promise<InboxRecord<E>[]> {
    const rows = await claimRows(this.ds, this.claimStrategy, {
      table: 'inbox',
      operation: 'inbox.claim',
      due: "status = 'pending' AND next_attempt_at <= ?",
      dueParams: [now],
      order: 'next_attempt_at, id',
      limit,
      set: "status = 'processing', attempts = attempts + 1, locked_by = ?, locked_until = ?",
      setParams: [workerId, lockedUntil],
      columns: LIST_COLUMNS,
    });
    return rows.map((r) => toRecord<E>(r));
  }

  /** Rows whose claimer died (lease over): back to pending, or failed when out of attempts. */
  async reclaimExpired(now: Date, maxAttempts: number): Promise<number> {
    const { affected } = await execute(
      this.ds,
      `UPDATE inbox SET status = CASE WHEN attempts >= ? THEN 'failed' ELSE 'pending' END,
         error = CASE WHEN attempts >= ? THEN 'processing lease expired (processor stopped or crashed)' ELSE error END,
         locked_by = NULL, locked_until = NULL, next_attempt_at = ?
       WHERE status = 'processing' AND locked_until < ?`,
      [maxAttempts, maxAttempts, now, now],
    );
    return affected;
  }

  /** Inside the processing transaction of the rows, so their effects and `done` commit together. */
  async markDone(em: EntityManager, ids: readonly string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await execute(
      em,
      `UPDATE inbox SET status = 'done', processed_at = ?, locked_by = NULL, locked_until = NULL, error = NULL WHERE id IN (${ids.map(() => '?').join(', ')})`,
      [now, ...ids],
    );
  }

  /** After a failed attempt: retry at `retryAt`, or `failed` for good when `retryAt` is null. */
  async markFailure(id: string, error: string, retryAt: Date | null): Promise<void> {
    await execute(
      this.ds,
      `UPDATE inbox SET status = ?, error = ?, next_attempt_at = COALESCE(?, next_attempt_at), locked_by = NULL, locked_until = NULL WHERE id = ?`,
      [retryAt ? 'pending' : 'failed', error.slice(0, 2000), retryAt, id],
    );
  }

  async findById(db: Db, id: string): Promise<InboxRecord<E> | undefined> {
    const rows = await select(db, `SELECT ${LIST_COLUMNS} FROM inbox WHERE id = ?`, [id]);
    return rows[0] ? toRecord<E>(rows[0]) : undefined;
  }

  /** Newest first; `beforeId` is the cursor (the last id of the previous page). */
  async list(opts: { status?: InboxStatus; limit: number; beforeId?: string }): Promise<InboxRecord<E>[]> {
    const rows = await selectNewestFirst(
      this.ds,
      'inbox',
      LIST_COLUMNS,
      [opts.status && ['status = ?', opts.status], opts.beforeId && ['id < ?', opts.beforeId]],
      opts.limit,
    );
    return rows.map((r) => toRecord<E>(r));
  }

  /** A failed (or waiting) row back to the queue with a fresh attempt budget; false if it is not retryable. */
  async requeue(id: string, now: Date): Promise<boolean> {
    const { affected } = await execute(
      this.ds,
      `UPDATE inbox SET status = 'pending', attempts = 0, next_attempt_at = ?, locked_by = NULL, locked_until = NULL WHERE id = ? AND status IN ('failed', 'pending')`,
      [now, id],
    );
    return affected > 0;
  }

  async countByStatus(): Promise<Record<InboxStatus, number>> {
    const rows = await select<{ status: InboxStatus; n: unknown }>(
      this.ds,
      'SELECT status, COUNT(*) AS n FROM inbox GROUP BY status',
    );
    const out: Record<InboxStatus, number> = { pending: 0, processing: 0, done: 0, failed: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }
}
