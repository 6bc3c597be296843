import type { DataSource } from 'typeorm';
import { retryConflicts } from '../conflict-retry';
import { execute, insertIgnore } from '../sql';

/**
 * `job_runs`: the row for (job, slot) is the right to run it. Inserted with INSERT IGNORE semantics, so of all
 * the instances whose timers fire for one slot exactly one gets `true`. On a Galera cluster two nodes inserting
 * the same slot conflict at commit (1213): run again, the insert sees the winner's row and adds nothing.
 */
export async function claimJobSlot(
  db: DataSource,
  job: string,
  slot: string,
  instance: string,
  now: Date,
): Promise<boolean> {
  const inserted = await retryConflicts(db, { operation: 'job_runs.claim' }, () =>
    insertIgnore(db, 'job_runs', [{ job, slot, instance: instance.slice(0, 64), status: 'running', started_at: now }]),
  );
  return inserted === 1;
}

export async function finishJobSlot(
  db: DataSource,
  job: string,
  slot: string,
  error: string | null,
  now: Date,
): Promise<void> {
  await retryConflicts(db, { operation: 'job_runs.finish' }, () =>
    execute(db, 'UPDATE job_runs SET status = ?, error = ?, finished_at = ? WHERE job = ? AND slot = ?', [
      error ? 'failed' : 'done',
      error,
      now,
      job,
      slot,
    ]),
  );
}
