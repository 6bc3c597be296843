import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * Welcome messages of channel contact ways (DESIGN §10.2): one row per WelcomeCode. Inserting it is the claim that
 * makes one instance, once, call send_welcome_msg (the unique code); its status is the outcome the channel's stats
 * count: `sending`, `sent`, `failed` (WeChat refused), `expired` (the 20 s passed, never retried).
 */
export class WelcomeSends1795385610000 implements MigrationInterface {
  name = 'WelcomeSends1795385610000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'welcome_sends',
        [
          c.id(),
          c.key('welcome_code', 128),
          c.bigint('channel_id'),
          c.key('corp_id', 64),
          c.key('staff_userid', 64),
          c.key('external_userid', 64),
          c.time('event_at'),
          c.key('status', 16),
          c.int('errcode', { nullable: true }),
          c.str('error', 255, { nullable: true }),
          c.key('holder', 64, { nullable: true }),
          c.time('sent_at', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_welcome_sends_code: ['welcome_code'] },
          index: { idx_welcome_sends_channel: ['channel_id', 'event_at'] },
        },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('welcome_sends');
  }
}
