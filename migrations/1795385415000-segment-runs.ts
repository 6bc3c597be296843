import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * One row per segment run (DESIGN §5): its member count, who joined and who left, so the console can draw a
 * segment's size over time. `members` is null for a failed run.
 */
export class SegmentRuns1795385415000 implements MigrationInterface {
  name = 'SegmentRuns1795385415000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'segment_runs',
        [
          c.id(),
          c.bigint('segment_id'),
          c.key('status', 16),
          c.str('triggered_by', 128, { nullable: true }),
          c.time('started_at'),
          c.time('finished_at'),
          c.bigint('members', { nullable: true }),
          c.bigint('added', { default: 0 }),
          c.bigint('removed', { default: 0 }),
          c.bigint('scanned', { default: 0 }),
          c.text('error', { nullable: true }),
        ],
        { index: { idx_segment_runs_segment: ['segment_id', 'id'] } },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('segment_runs');
  }
}
