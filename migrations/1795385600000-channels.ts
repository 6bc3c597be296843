import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * Channel codes (渠道活码, DESIGN §3, §10.2). `channels`: an OA parametric QR code or a WeCom contact way, keyed for
 * attribution by (kind, account, code) where `code` is the OA scene_str or the contact way's `state`; a deleted
 * channel keeps its row (`deleted_at`) so its customers keep their history. `customer_channels`: one row per
 * customer and channel with the first and last touch and how many touches. `channel_activity`: one row per touch
 * (`new` or `returning`) and per loss of a customer the channel first brought (`lost`), keyed by the inbox event
 * that caused it so reprocessing writes nothing twice: the per-day stats are counted from it in SQL.
 */
export class Channels1795385600000 implements MigrationInterface {
  name = 'Channels1795385600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'channels',
        [
          c.id(),
          c.str('name', 128),
          c.key('kind', 32),
          c.key('account_id', 64),
          c.key('code', 64),
          c.key('config_id', 64, { nullable: true }),
          c.key('ticket', 255, { nullable: true }),
          c.text('qr_url', { nullable: true }),
          c.bool('permanent', { default: false }),
          c.int('expire_seconds', { nullable: true }),
          c.time('expires_at', { nullable: true }),
          c.json('staff_userids', { nullable: true }),
          c.bool('skip_verify', { default: true }),
          c.json('tag_ids'),
          c.text('welcome_text', { nullable: true }),
          c.str('created_by', 128, { nullable: true }),
          c.time('deleted_at', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_channels_code: ['kind', 'account_id', 'code'] },
        },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'customer_channels',
        [
          c.id(),
          c.key('customer_id', 36),
          c.bigint('channel_id'),
          c.time('first_at'),
          c.time('last_at'),
          c.int('touches', { default: 1 }),
        ],
        {
          unique: { uq_customer_channels_customer: ['customer_id', 'channel_id'] },
          index: { idx_customer_channels_channel: ['channel_id', 'first_at'] },
        },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'channel_activity',
        [
          c.id(),
          c.bigint('channel_id'),
          c.key('customer_id', 36),
          c.key('kind', 16),
          c.time('at'),
          c.key('dedupe_key', 191),
        ],
        {
          unique: { uq_channel_activity_key: ['dedupe_key'] },
          index: {
            idx_channel_activity_channel: ['channel_id', 'at'],
            idx_channel_activity_customer: ['customer_id'],
          },
        },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('channel_activity');
    await queryRunner.dropTable('customer_channels');
    await queryRunner.dropTable('channels');
  }
}
