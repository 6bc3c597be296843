import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * The WeCom staff directory (DESIGN §3, §10.3): one row per member of a corp, filled by the `staff` sync and by
 * change_contact callbacks, so screens show names instead of userids. A member who left keeps the row with
 * status `left` (their customers are still theirs until transferred). `departments` is `[{ id, name }]`;
 * `seen_at` is when a staff sync last read the member (a run marks those it did not see as left).
 */
export class WecomStaff1795385400000 implements MigrationInterface {
  name = 'WecomStaff1795385400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'wecom_staff',
        [
          c.id(),
          c.key('corp_id', 64),
          c.key('userid', 64),
          c.str('name', 64, { nullable: true }),
          c.json('departments', { nullable: true }),
          c.str('position', 128, { nullable: true }),
          c.key('status', 16, { default: 'active' }),
          c.time('seen_at', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        { unique: { uq_wecom_staff_member: ['corp_id', 'userid'] } },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('wecom_staff');
  }
}
