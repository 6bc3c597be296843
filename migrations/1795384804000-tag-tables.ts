import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/** DESIGN §5: tag catalog and remote bindings, desired state, actual WeChat state, and segment rules. */
export class TagTables1795384804000 implements MigrationInterface {
  name = 'TagTables1795384804000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'tag_groups',
        [c.id(), c.str('name', 64), c.time('created_at', { now: true }), c.time('updated_at', { now: true })],
        { unique: { uq_tag_groups_name: ['name'] } },
      ),
    );
    // group_id 0 = ungrouped: NOT NULL so UNIQUE(group_id, name) also holds for ungrouped tags on both
    // databases (a NULL would make every ungrouped name distinct).
    await queryRunner.createTable(
      defineTable(
        'tags',
        [
          c.id(),
          c.str('name', 64),
          c.bigint('group_id', { default: 0 }),
          c.str('description', 255, { nullable: true }),
          c.str('created_by', 128, { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
          c.time('deleted_at', { nullable: true }),
        ],
        { unique: { uq_tags_group_name: ['group_id', 'name'] } },
      ),
    );
    // channel `oa` binds to an OA tag id per appid (tags/create); `wecom` to a corp tag id + group per corpid
    // (add_corp_tag). remote ids are strings: OA ids are numbers, WeCom ids are `et…` strings.
    await queryRunner.createTable(
      defineTable(
        'tag_bindings',
        [
          c.id(),
          c.bigint('tag_id'),
          c.key('channel', 16),
          c.key('account', 64),
          c.key('remote_tag_id', 64, { nullable: true }),
          c.key('remote_group_id', 64, { nullable: true }),
          c.str('remote_name', 64, { nullable: true }),
          c.key('status', 16, { default: 'pending' }),
          c.text('error', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_tag_bindings_tag_channel_account: ['tag_id', 'channel', 'account'] },
          index: { idx_tag_bindings_remote: ['channel', 'account', 'remote_tag_id'] },
        },
      ),
    );
    // One row per (customer, tag, source): a tag wanted by a rule and by an operator is two rows, so the rule
    // leaving the segment removes only its own row and the manual assignment keeps the tag desired.
    await queryRunner.createTable(
      defineTable(
        'customer_tags',
        [
          c.id(),
          c.key('customer_id', 36),
          c.bigint('tag_id'),
          c.key('source', 16),
          c.str('assigned_by', 128, { nullable: true }),
          c.time('created_at', { now: true }),
        ],
        {
          unique: { uq_customer_tags_customer_tag_source: ['customer_id', 'tag_id', 'source'] },
          index: { idx_customer_tags_tag: ['tag_id', 'customer_id'] },
        },
      ),
    );
    // subject: the OA openid, or `staff_userid|external_userid` for a WeCom relation.
    await queryRunner.createTable(
      defineTable(
        'remote_tag_state',
        [
          c.id(),
          c.key('channel', 16),
          c.key('account', 64),
          c.key('subject', 160),
          c.key('remote_tag_id', 64),
          c.key('customer_id', 36, { nullable: true }),
          c.bool('present', { default: false }),
          c.time('pushed_at', { nullable: true }),
          c.time('observed_at', { nullable: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_remote_tag_state_subject_tag: ['channel', 'account', 'subject', 'remote_tag_id'] },
          index: {
            idx_remote_tag_state_tag: ['channel', 'account', 'remote_tag_id'],
            idx_remote_tag_state_customer: ['customer_id'],
          },
        },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'segments',
        [
          c.id(),
          c.str('name', 128),
          c.bigint('tag_id', { nullable: true }),
          c.json('rule'),
          c.key('schedule', 64, { nullable: true }),
          c.bool('enabled', { default: true }),
          c.time('last_run_at', { nullable: true }),
          c.bigint('last_count', { nullable: true }),
          c.text('last_error', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        { index: { idx_segments_tag: ['tag_id'] } },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of ['segments', 'remote_tag_state', 'customer_tags', 'tag_bindings', 'tags', 'tag_groups']) {
      await queryRunner.dropTable(t);
    }
  }
}
