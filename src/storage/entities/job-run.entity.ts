import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** One run of a cron job per scheduled slot: the instance whose insert wins runs it (DESIGN §6). */
export interface JobRunRow {
  id: string;
  job: string;
  slot: string;
  instance: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

export const JobRunEntity = new EntitySchema<JobRunRow>({
  name: 'JobRun',
  tableName: 'job_runs',
  columns: {
    id: col.id(),
    job: col.key('job', 64),
    slot: col.key('slot', 32),
    instance: col.key('instance', 64),
    status: col.key('status', 16, { default: 'running' }),
    startedAt: col.timeNow('started_at'),
    finishedAt: col.time('finished_at', true),
    error: col.text('error', true),
  },
  uniques: [{ name: 'uq_job_runs_job_slot', columns: ['job', 'slot'] }],
  indices: [{ name: 'idx_job_runs_job_started', columns: ['job', 'startedAt'] }],
});
