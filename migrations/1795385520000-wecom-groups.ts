import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * WeCom customer groups (客户群, DESIGN §3, §10.1): one row per group of a corp, filled by the `groups` sync, and
 * one row per member, staff (type 1) or external (type 2, `userid` is then the external_userid, whose customer
 * the identities table knows). A member who left keeps the row with `left_at` and the quit scene; a dismissed
 * group keeps its rows with status `dismissed`. `seen_at` is when a sync last read the group or member.
 */
export class WecomGroups1795385520000 implements MigrationInterface {
  name = 'WecomGroups1795385520000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'wecom_groups',
        [
          c.id(),
          c.key('corp_id', 64),
          c.key('chat_id', 64),
          c.str('name', 255, { nullable: true }),
          c.key('owner_userid', 64, { nullable: true }),
          c.text('notice', { nullable: true }),
          c.json('admin_userids', { nullable: true }),
          c.key('status', 16, { default: 'active' }),
          c.int('owner_status', { default: 0 }),
          c.key('member_version', 64, { nullable: true }),
          c.int('member_count', { default: 0 }),
          c.time('created_time', { nullable: true }),
          c.time('dismissed_at', { nullable: true }),
          c.time('seen_at', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_wecom_groups_chat: ['corp_id', 'chat_id'] },
          index: { idx_wecom_groups_owner: ['corp_id', 'owner_userid'] },
        },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'wecom_group_members',
        [
          c.id(),
          c.key('corp_id', 64),
          c.key('chat_id', 64),
          c.key('userid', 64),
          c.int('member_type'),
          c.str('name', 128, { nullable: true }),
          c.str('group_nickname', 128, { nullable: true }),
          c.time('join_time', { nullable: true }),
          c.int('join_scene', { nullable: true }),
          c.key('invitor_userid', 64, { nullable: true }),
          c.key('state', 64, { nullable: true }),
          c.time('left_at', { nullable: true }),
          c.int('quit_scene', { nullable: true }),
          c.time('seen_at', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_wecom_group_members_member: ['corp_id', 'chat_id', 'userid'] },
          index: { idx_wecom_group_members_user: ['corp_id', 'userid'] },
        },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('wecom_group_members');
    await queryRunner.dropTable('wecom_groups');
  }
}
