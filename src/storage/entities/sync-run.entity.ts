import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type SyncRunStatus = 'running' | 'paused' | 'done' | 'failed';

/** A resumable full sync (DESIGN §6). `checkpoint` is the resume point saved after every page. */
export interface SyncRunRow {
  id: string;
  account: string;
  resource: string;
  status: SyncRunStatus;
  checkpoint: string | null;
  processed: number;
  total: number | null;
  created: number;
  updated: number;
  triggeredBy: string | null;
  startedAt: Date;
  heartbeatAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  lockedBy: string | null;
}

export const SyncRunEntity = new EntitySchema<SyncRunRow>({
  name: 'SyncRun',
  tableName: 'sync_runs',
  columns: {
    id: col.id(),
    account: col.key('account', 64),
    resource: col.key('resource', 32),
    status: col.key('status', 16, { default: 'running' }),
    checkpoint: col.text('checkpoint', true),
    processed: col.count('processed', { default: 0 }),
    total: col.count('total', { nullable: true }),
    created: col.count('created', { default: 0 }),
    updated: col.count('updated', { default: 0 }),
    triggeredBy: col.str('triggered_by', 128, true),
    startedAt: col.createdAt('started_at'),
    heartbeatAt: col.time('heartbeat_at', true),
    finishedAt: col.time('finished_at', true),
    error: col.text('error', true),
    lockedBy: col.key('locked_by', 64, { nullable: true }),
  },
  indices: [{ name: 'idx_sync_runs_account_resource_status', columns: ['account', 'resource', 'status'] }],
});
