import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `idx_customers_merged_into` served one query — erasure's "customers merged into this one" — which
 * `merge_log`'s survivor index answers as well (every merge writes its row there). Nearly every customer has
 * `merged_into_id` NULL, and InnoDB indexes NULLs: the index cost an insertion per new customer (a full follower
 * sync creates one per follower) and pages in the buffer pool, for nothing.
 */
export class DropCustomerMergedIntoIndex1795385300000 implements MigrationInterface {
  name = 'DropCustomerMergedIntoIndex1795385300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('customers', 'idx_customers_merged_into');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'customers',
      new TableIndex({ name: 'idx_customers_merged_into', columnNames: ['merged_into_id'] }),
    );
  }
}
