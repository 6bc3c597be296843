import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * DESIGN §12: processed inbox rows lose their raw and parsed bodies after `retention.inboxDays` but stay for
 * deduplication. `body_purged_at` marks the rows already emptied and the index (body_purged_at, processed_at)
 * gives the nightly job exactly the rows still to empty, so a run never walks past earlier runs' work.
 * `refresh_queue.subject` (an openid or external_userid) is indexed so erasure finds a person's re-reads.
 */
export class PrivacyRetention1795385470000 implements MigrationInterface {
  name = 'PrivacyRetention1795385470000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.addColumn('inbox', new TableColumn(c.time('body_purged_at', { nullable: true })));
    await queryRunner.createIndex(
      'inbox',
      new TableIndex({ name: 'idx_inbox_body_retention', columnNames: ['body_purged_at', 'processed_at'] }),
    );
    await queryRunner.createIndex(
      'refresh_queue',
      new TableIndex({ name: 'idx_refresh_queue_subject', columnNames: ['subject'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('refresh_queue', 'idx_refresh_queue_subject');
    await queryRunner.dropIndex('inbox', 'idx_inbox_body_retention');
    await queryRunner.dropColumn('inbox', 'body_purged_at');
  }
}
