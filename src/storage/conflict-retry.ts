import { Counter, type Registry } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import { isDuplicateKeyError } from './sql-values';

/** Structural subset of pino's Logger: storage logs nothing above debug/info here. */
export interface ConflictLogger {
  debug(obj: object, msg?: string): void;
}

/**
 * ER_LOCK_DEADLOCK (1213) and ER_LOCK_WAIT_TIMEOUT (1205): InnoDB rolled the statement (1205) or the whole
 * transaction (1213) back, and on a Galera cluster a certification conflict surfaces as 1213 at COMMIT
 * (DESIGN §3). Running the work again is the documented answer.
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-deadlocks-handling.html
 */
export function isLockConflict(err: unknown): boolean {
  const e = err as { driverError?: { code?: unknown; errno?: unknown }; code?: unknown; errno?: unknown } | null;
  const inner = e?.driverError ?? e;
  return (
    inner?.code === 'ER_LOCK_DEADLOCK' ||
    inner?.errno === 1213 ||
    inner?.code === 'ER_LOCK_WAIT_TIMEOUT' ||
    inner?.errno === 1205
  );
}

/**
 * What a transaction that raced another may simply run again: a lock conflict, a unique-key violation (two
 * inserted the same identity; run again, it sees the winner's row) or SQLite's busy answer (DESIGN §4: two
 * workers resolving one person produce one customer).
 */
export function isRetryableDbError(err: unknown): boolean {
  if (isDuplicateKeyError(err) || isLockConflict(err)) return true;
  const e = err as { driverError?: { code?: unknown }; code?: unknown } | null;
  return (e?.driverError ?? e)?.code === 'SQLITE_BUSY';
}

function conflictCode(err: unknown): string {
  const e = err as { driverError?: { errno?: unknown }; errno?: unknown } | null;
  return String((e?.driverError ?? e)?.errno ?? 'unknown');
}

interface Observer {
  counter: Counter<'operation' | 'code'>;
  logger?: ConflictLogger;
}

const observers = new WeakMap<DataSource, Observer>();

function observerOf(ds: DataSource): Observer {
  let o = observers.get(ds);
  if (!o) {
    // Not in prom-client's global registry: tests build many apps in one process, each with its own registry.
    const counter = new Counter({
      name: 'siyu_db_conflict_retries_total',
      help: 'Statements or transactions run again after a deadlock (1213) or lock wait timeout (1205)',
      labelNames: ['operation', 'code'],
      registers: [],
    });
    observers.set(ds, (o = { counter }));
  }
  return o;
}

/** Makes this database's retries visible: the counter in `registry` (the app's /metrics), notes in `logger`. */
export function observeConflicts(ds: DataSource, opts: { registry: Registry; logger?: ConflictLogger }): void {
  const o = observerOf(ds);
  if (opts.logger) o.logger = opts.logger;
  if (!opts.registry.getSingleMetric('siyu_db_conflict_retries_total')) opts.registry.registerMetric(o.counter);
}

/** Retries counted so far for `operation` (tests and diagnostics). */
export async function conflictRetries(ds: DataSource, operation?: string): Promise<number> {
  const values = (await observerOf(ds).counter.get()).values;
  return values
    .filter((v) => operation === undefined || v.labels.operation === operation)
    .reduce((n, v) => n + v.value, 0);
}

export interface ConflictRetryOptions {
  /** Names the work in the metric and the log line (`inbox.claim`, `lease.acquire`, …). */
  operation: string;
  /** Runs in all, the first included. */
  attempts?: number;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The one retry loop: `fn` again while `retryable(err)`, at most `attempts` runs, pauses jittered and growing. */
async function runAgain<T>(
  attempts: number,
  pauseUnitMs: number,
  retryable: (err: unknown) => boolean,
  fn: () => Promise<T>,
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !retryable(err)) throw err;
      const delayMs = Math.random() * pauseUnitMs * 2 ** attempt;
      onRetry?.(err, attempt, delayMs);
      await pause(delayMs);
    }
  }
}

/**
 * The one place where 1213/1205 are retried (DESIGN §3): `fn` again after a jittered pause that grows with
 * each attempt, counted in `siyu_db_conflict_retries_total`, logged at debug. Any other error, or a conflict on
 * the last attempt, is thrown. `fn` must be safe to run again: a statement or a whole transaction.
 */
export function retryConflicts<T>(
  ds: DataSource | undefined,
  opts: ConflictRetryOptions,
  fn: () => Promise<T>,
): Promise<T> {
  return runAgain(opts.attempts ?? 6, 5, isLockConflict, fn, (err, attempt, delayMs) => {
    if (!ds) return;
    const o = observerOf(ds);
    o.counter.inc({ operation: opts.operation, code: conflictCode(err) });
    o.logger?.debug(
      { operation: opts.operation, attempt, delayMs: Math.round(delayMs), code: conflictCode(err) },
      'database conflict; running again',
    );
  });
}

/**
 * A short transaction retried on conflicts. MySQL sessions run at READ COMMITTED (driver/mysql-driver.ts), so
 * locking reads and updates take no gap locks against concurrent inserts (the usual source of claim deadlocks).
 */
export function conflictRetryingTransaction<T>(
  ds: DataSource,
  opts: ConflictRetryOptions,
  fn: (em: EntityManager) => Promise<T>,
): Promise<T> {
  return retryConflicts(ds, opts, () => ds.transaction(fn));
}

/**
 * A transaction that may race others over the same identities or rows: run again on any retryable error
 * (isRetryableDbError), at most `attempts` times. MySQL sessions run at READ COMMITTED (driver/mysql-driver.ts):
 * locking reads see the latest committed rows and no gap locks are taken, so concurrent inserts of different
 * identities do not deadlock on index gaps.
 */
export function retryingTransaction<T>(
  ds: DataSource,
  fn: (em: EntityManager) => Promise<T>,
  attempts = 6,
): Promise<T> {
  return runAgain(attempts, 10, isRetryableDbError, () => ds.transaction(fn));
}
