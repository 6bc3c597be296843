import type { DataSource } from 'typeorm';
import { retryingTransaction } from '../conflict-retry';
import type { BulkJobStatus } from '../entities';
import type { BulkJobJson, TagJobKind } from './tag.types';
import { type Db, type Row, execute, forUpdateSkipLocked, fromDbTime, fromJsonText, idString, select } from '../sql';

export const TAG_JOB_KINDS: readonly TagJobKind[] = [
  'tags.assign',
  'tags.unassign',
  'tags.sweep',
  'segments.run',
  'tags.corp-library',
];

export interface BulkJob {
  id: string;
  kind: TagJobKind;
  status: BulkJobStatus;
  params: Record<string, unknown>;
  result: Record<string, unknown> | null;
  processed: number;
  total: number | null;
  error: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

const COLUMNS =
  'id, kind, status, params, result, processed, total, error, created_by, created_at, updated_at, finished_at';

function toJob(r: Row): BulkJob {
  return {
    id: idString(r.id),
    kind: r.kind as TagJobKind,
    status: r.status as BulkJobStatus,
    params: fromJsonText<Record<string, unknown>>(r.params) ?? {},
    result: fromJsonText<Record<string, unknown>>(r.result),
    processed: Number(r.processed ?? 0),
    total: r.total === null || r.total === undefined ? null : Number(r.total),
    error: (r.error as string | null) ?? null,
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: fromDbTime(r.created_at)!,
    updatedAt: fromDbTime(r.updated_at)!,
    finishedAt: fromDbTime(r.finished_at),
  };
}

export async function queueJob(
  db: Db,
  kind: TagJobKind,
  params: Record<string, unknown>,
  createdBy: string | null,
  now: Date,
  opts: { coalesce?: boolean } = {},
): Promise<string> {
  const text = JSON.stringify(params);
  if (opts.coalesce) {
    const same = await select(
      db,
      "SELECT id FROM bulk_jobs WHERE kind = ? AND status = 'queued' AND params = ? LIMIT 1",
      [kind, text],
    );
    if (same[0]) return idString(same[0].id);
  }
  const r = await execute(
    db,
    "INSERT INTO bulk_jobs (kind, status, params, processed, created_by, created_at, updated_at) VALUES (?, 'queued', ?, 0, ?, ?, ?)",
    [kind, text, createdBy, now, now],
  );
  if (!r.insertId) throw new Error('bulk job insert returned no id');
  return r.insertId;
}

/** A tag got a new binding: push its existing assignments to that account. */
export function queueTagSweep(db: Db, tagId: string, createdBy: string | null, now: Date): Promise<string> {
  return queueJob(db, 'tags.sweep', { tagId }, createdBy, now, { coalesce: true });
}

export async function findJob(db: Db, id: string): Promise<BulkJob | undefined> {
  const rows = await select(db, `SELECT ${COLUMNS} FROM bulk_jobs WHERE id = ?`, [id]);
  return rows[0] ? toJob(rows[0]) : undefined;
}

/** Claims the oldest queued job of these kinds (or one whose runner's lease ran out), once across instances. */
export async function claimJob(
  ds: DataSource,
  kinds: readonly string[],
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<BulkJob | undefined> {
  const id = await retryingTransaction(ds, async (m) => {
    const rows = await select(
      m,
      `SELECT id FROM bulk_jobs WHERE kind IN (${kinds.map(() => '?').join(', ')})
        AND ((status = 'queued' AND (locked_until IS NULL OR locked_until <= ?)) OR (status = 'running' AND locked_until < ?))
        ORDER BY id LIMIT 1${forUpdateSkipLocked(m)}`,
      [...kinds, now, now],
    );
    const claimed = rows[0] ? idString(rows[0].id) : undefined;
    if (claimed) {
      await execute(
        m,
        "UPDATE bulk_jobs SET status = 'running', locked_by = ?, locked_until = ?, updated_at = ? WHERE id = ?",
        [owner, new Date(now.getTime() + leaseMs), now, claimed],
      );
    }
    return claimed;
  });
  return id ? findJob(ds, id) : undefined;
}

export async function reportProgress(
  db: Db,
  id: string,
  p: { processed: number; total?: number | null; result?: Record<string, unknown> },
  leaseUntil: Date,
  now: Date,
): Promise<void> {
  await execute(
    db,
    'UPDATE bulk_jobs SET processed = ?, total = COALESCE(?, total), result = COALESCE(?, result), locked_until = ?, updated_at = ? WHERE id = ?',
    [p.processed, p.total ?? null, p.result ? JSON.stringify(p.result) : null, leaseUntil, now, id],
  );
}

export async function finishJob(
  db: Db,
  id: string,
  outcome: { status: 'done' | 'failed'; result?: Record<string, unknown>; error?: string },
  now: Date,
): Promise<void> {
  await execute(
    db,
    'UPDATE bulk_jobs SET status = ?, result = COALESCE(?, result), error = ?, locked_by = NULL, locked_until = NULL, finished_at = ?, updated_at = ? WHERE id = ?',
    [outcome.status, outcome.result ? JSON.stringify(outcome.result) : null, outcome.error ?? null, now, now, id],
  );
}

/** Puts a job back in the queue until `retryAt` (a WeChat read that failed for a while); `attempts` is kept in `result`. */
export async function requeueJob(
  db: Db,
  id: string,
  attempts: number,
  retryAt: Date,
  error: string,
  now: Date,
): Promise<void> {
  await execute(
    db,
    "UPDATE bulk_jobs SET status = 'queued', result = ?, error = ?, locked_by = NULL, locked_until = ?, updated_at = ? WHERE id = ?",
    [JSON.stringify({ attempts }), error, retryAt, now, id],
  );
}

/** A job as `GET /api/v1/bulk-jobs/:id` answers it. */
export function jobView(j: BulkJob): BulkJobJson {
  const percent = j.total
    ? Math.min(100, Math.round((j.processed / j.total) * 1000) / 10)
    : j.status === 'done'
      ? 100
      : null;
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    processed: j.processed,
    total: j.total,
    percent,
    result: j.result,
    error: j.error,
    createdBy: j.createdBy,
    createdAt: j.createdAt.toISOString(),
    updatedAt: j.updatedAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}
