import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type BulkJobStatus = 'queued' | 'running' | 'done' | 'failed';

/** A long-running API operation answered with `{ jobId }` (bulk tag assign/unassign, segment runs). */
export interface BulkJobRow {
  id: string;
  kind: string;
  status: BulkJobStatus;
  params: Record<string, unknown> | null;
  result: Record<string, unknown> | null;
  processed: number;
  total: number | null;
  error: string | null;
  createdBy: string | null;
  lockedBy: string | null;
  lockedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export const BulkJobEntity = new EntitySchema<BulkJobRow>({
  name: 'BulkJob',
  tableName: 'bulk_jobs',
  columns: {
    id: col.id(),
    kind: col.key('kind', 64),
    status: col.key('status', 16, { default: 'queued' }),
    params: col.json('params', true),
    result: col.json('result', true),
    processed: col.count('processed', { default: 0 }),
    total: col.count('total', { nullable: true }),
    error: col.text('error', true),
    createdBy: col.str('created_by', 128, true),
    lockedBy: col.key('locked_by', 64, { nullable: true }),
    lockedUntil: col.time('locked_until', true),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
    finishedAt: col.time('finished_at', true),
  },
  indices: [{ name: 'idx_bulk_jobs_status', columns: ['status', 'createdAt'] }],
});
