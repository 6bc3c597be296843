import type { SegmentRunRow } from '../entities/segment-run.entity';
import type { SegmentRunJson } from './segment.types';
import { type Db, type Row, execute, fromDbTime, idString, select } from '../sql';

/** A run as the API lists it: the table's one row type (src/storage/entities/segment-run.entity.ts). */
export type SegmentRunRecord = SegmentRunRow;

const COLUMNS =
  'id, segment_id, status, triggered_by, started_at, finished_at, members, added, removed, scanned, error';

function toRun(r: Row): SegmentRunRecord {
  return {
    id: idString(r.id),
    segmentId: idString(r.segment_id),
    status: r.status === 'failed' ? 'failed' : 'done',
    triggeredBy: (r.triggered_by as string | null) ?? null,
    startedAt: fromDbTime(r.started_at)!,
    finishedAt: fromDbTime(r.finished_at)!,
    members: r.members === null || r.members === undefined ? null : Number(r.members),
    added: Number(r.added ?? 0),
    removed: Number(r.removed ?? 0),
    scanned: Number(r.scanned ?? 0),
    error: (r.error as string | null) ?? null,
  };
}

export async function insertSegmentRun(db: Db, r: Omit<SegmentRunRecord, 'id'>): Promise<void> {
  await execute(
    db,
    'INSERT INTO segment_runs (segment_id, status, triggered_by, started_at, finished_at, members, added, removed, scanned, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [
      r.segmentId,
      r.status,
      r.triggeredBy?.slice(0, 128) ?? null,
      r.startedAt,
      r.finishedAt,
      r.members,
      r.added,
      r.removed,
      r.scanned,
      r.error,
    ],
  );
}

/** A segment's runs, newest first, keyset-paged on the id (`before` = the last id of the previous page). */
export async function listSegmentRuns(
  db: Db,
  segmentId: string,
  opts: { before?: string; limit: number },
): Promise<SegmentRunRecord[]> {
  const rows = await select(
    db,
    `SELECT ${COLUMNS} FROM segment_runs WHERE segment_id = ?${opts.before ? ' AND id < ?' : ''} ORDER BY id DESC LIMIT ${Math.trunc(opts.limit)}`,
    opts.before ? [segmentId, opts.before] : [segmentId],
  );
  return rows.map(toRun);
}

export async function deleteSegmentRuns(db: Db, segmentId: string): Promise<void> {
  await execute(db, 'DELETE FROM segment_runs WHERE segment_id = ?', [segmentId]);
}

export function segmentRunView(r: SegmentRunRecord): SegmentRunJson {
  return {
    id: r.id,
    segmentId: r.segmentId,
    status: r.status,
    triggeredBy: r.triggeredBy,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt.toISOString(),
    members: r.members,
    added: r.added,
    removed: r.removed,
    scanned: r.scanned,
    error: r.error,
  };
}
