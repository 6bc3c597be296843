import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * One row per (cron job, scheduled minute) (DESIGN §6: N instances run each job once). The instance that
 * inserts the row runs the job; the others, whose timers fire a little earlier or later, hit the unique key and
 * skip — a lock alone would let a late instance run the job again after a fast first run released it.
 */
export class JobRuns1795384901000 implements MigrationInterface {
  name = 'JobRuns1795384901000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'job_runs',
        [
          c.id(),
          c.key('job', 64),
          c.key('slot', 32),
          c.key('instance', 64),
          c.key('status', 16, { default: 'running' }),
          c.time('started_at', { now: true }),
          c.time('finished_at', { nullable: true }),
          c.text('error', { nullable: true }),
        ],
        {
          unique: { uq_job_runs_job_slot: ['job', 'slot'] },
          index: { idx_job_runs_job_started: ['job', 'started_at'] },
        },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_runs');
  }
}
