import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `GET /api/v1/customers?q=` at a million customers (DESIGN §8.3): q matches display names and follow remarks
 * by prefix, so both get an index (identity values already have idx_identities_value). Keyset paging runs on
 * the primary key.
 */
export class CustomerSearchIndexes1795384903000 implements MigrationInterface {
  name = 'CustomerSearchIndexes1795384903000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'customers',
      new TableIndex({ name: 'idx_customers_display_name', columnNames: ['display_name'] }),
    );
    await queryRunner.createIndex(
      'wecom_follows',
      new TableIndex({ name: 'idx_wecom_follows_remark', columnNames: ['remark'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('wecom_follows', 'idx_wecom_follows_remark');
    await queryRunner.dropIndex('customers', 'idx_customers_display_name');
  }
}
