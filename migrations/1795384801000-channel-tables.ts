import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/** DESIGN §3: WeCom follow relations (staff ↔ external contact) and OA subscriptions (appid + openid). */
export class ChannelTables1795384801000 implements MigrationInterface {
  name = 'ChannelTables1795384801000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    // externalcontact/get `follow_user[]`: remark, description, createtime, add_way, state, oper_userid, tags.
    await queryRunner.createTable(
      defineTable(
        'wecom_follows',
        [
          c.id(),
          c.key('corp_id', 64),
          c.key('staff_userid', 64),
          c.key('external_userid', 64),
          c.key('customer_id', 36, { nullable: true }),
          c.str('remark', 255, { nullable: true }),
          c.str('description', 512, { nullable: true }),
          c.int('add_way', { nullable: true }),
          c.key('state', 64, { nullable: true }),
          c.key('oper_userid', 64, { nullable: true }),
          c.time('created_time', { nullable: true }),
          c.bool('deleted', { default: false }),
          c.time('deleted_at', { nullable: true }),
          c.json('tags', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_wecom_follows_relation: ['corp_id', 'staff_userid', 'external_userid'] },
          index: {
            idx_wecom_follows_customer: ['customer_id'],
            idx_wecom_follows_external: ['corp_id', 'external_userid'],
          },
        },
      ),
    );
    // user/info: subscribe, subscribe_time, subscribe_scene, qr_scene, qr_scene_str, remark, tagid_list.
    await queryRunner.createTable(
      defineTable(
        'oa_subscriptions',
        [
          c.id(),
          c.key('app_id', 64),
          c.key('openid', 64),
          c.key('customer_id', 36, { nullable: true }),
          c.bool('subscribed', { default: false }),
          c.time('subscribe_time', { nullable: true }),
          c.time('unsubscribe_time', { nullable: true }),
          c.key('scene', 64, { nullable: true }),
          c.key('qr_scene', 64, { nullable: true }),
          c.key('qr_scene_str', 128, { nullable: true }),
          c.str('remark', 255, { nullable: true }),
          c.json('tagid_list', { nullable: true }),
          c.bigint('last_synced_run_id', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_oa_subscriptions_app_openid: ['app_id', 'openid'] },
          index: {
            idx_oa_subscriptions_customer: ['customer_id'],
            idx_oa_subscriptions_sync: ['app_id', 'last_synced_run_id'],
          },
        },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('oa_subscriptions');
    await queryRunner.dropTable('wecom_follows');
  }
}
