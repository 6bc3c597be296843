import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * The WeCom corp tag library as `get_corp_tag_list` last returned it (wechat-api.md §5.5), one row per tag with
 * its group. A cache of WeChat's state, separate from Siyu's own catalog (`tags`/`tag_bindings`): the catalog
 * says what operators want, this says what exists in the corp. Tags gone from the library keep their row with
 * `deleted` set so relation tag ids seen earlier still have a name.
 */
export class WecomCorpTags1795384902000 implements MigrationInterface {
  name = 'WecomCorpTags1795384902000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'wecom_corp_tags',
        [
          c.id(),
          c.key('corp_id', 64),
          c.key('tag_id', 64),
          c.str('tag_name', 64),
          c.key('group_id', 64),
          c.str('group_name', 64),
          c.bigint('tag_order', { default: 0 }),
          c.bigint('group_order', { default: 0 }),
          c.time('create_time', { nullable: true }),
          c.bool('deleted', { default: false }),
          c.time('synced_at', { now: true }),
        ],
        {
          unique: { uq_wecom_corp_tags_corp_tag: ['corp_id', 'tag_id'] },
          index: { idx_wecom_corp_tags_group: ['corp_id', 'group_id'] },
        },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('wecom_corp_tags');
  }
}
