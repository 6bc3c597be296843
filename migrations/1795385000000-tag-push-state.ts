import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Per-subject push outcome on `remote_tag_state` (DESIGN §5, issue 7): `last_errcode` keeps the permanent
 * errcode that stopped a push to this subject (45059 a user's 20 tags, 84061 no relation …) so the tag detail
 * can count failures without parsing outbox payloads; `drifted` marks subjects whose state WeChat reported
 * differently from what Siyu believed (OA reconcile, WeCom relation re-read).
 */
export class TagPushState1795385000000 implements MigrationInterface {
  name = 'TagPushState1795385000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.addColumns('remote_tag_state', [
      new TableColumn(c.int('last_errcode', { nullable: true })),
      new TableColumn(c.bool('drifted', { default: false })),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('remote_tag_state', 'drifted');
    await queryRunner.dropColumn('remote_tag_state', 'last_errcode');
  }
}
