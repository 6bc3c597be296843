import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Per-subject push outcome on `remote_tag_state` (DESIGN §5): `last_errcode` keeps the permanent
 * errcode that stopped a push to this subject (45059 a user's 20 tags, 84061 no relation …) so the tag detail
 * can count failures without parsing outbox payloads; `drifted` marks subjects whose state WeChat reported
 * differently from what Siyu wanted (OA reconcile, WeCom relation re-read). `tag_bindings.remote_group_name`
 * is the WeCom tag group a binding lives in (add_corp_tag creates or joins a group by name, wechat-api.md §5.5).
 */
export class TagPushState1795385000000 implements MigrationInterface {
  name = 'TagPushState1795385000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.addColumns('remote_tag_state', [
      new TableColumn(c.int('last_errcode', { nullable: true })),
      new TableColumn(c.bool('drifted', { default: false })),
    ]);
    await queryRunner.addColumn('tag_bindings', new TableColumn(c.str('remote_group_name', 64, { nullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('tag_bindings', 'remote_group_name');
    await queryRunner.dropColumn('remote_tag_state', 'drifted');
    await queryRunner.dropColumn('remote_tag_state', 'last_errcode');
  }
}
