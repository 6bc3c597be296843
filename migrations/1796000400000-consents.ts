import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * Consents (DESIGN §12): a person's current yes or no per purpose and channel. The history is the timeline's
 * `consent.changed` events; `(purpose, granted)` serves the segment condition and the marketing check.
 */
export class Consents1796000400000 implements MigrationInterface {
  name = 'Consents1796000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'consents',
        [
          c.id(),
          c.key('customer_id', 36),
          c.key('purpose', 128),
          c.key('channel', 16, { default: '' }),
          c.bool('granted', { default: false }),
          c.key('source', 64),
          c.time('at'),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_consents_customer_purpose_channel: ['customer_id', 'purpose', 'channel'] },
          index: { idx_consents_purpose_granted: ['purpose', 'granted'] },
        },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('consents');
  }
}
