import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Two `customers` indexes no query uses: `status` (nearly every row is `active`, so no plan picks it; lists and
 * segments scan by primary key with `status = 'active'` as a filter) and `updated_at` (nothing orders or filters
 * by it). Each cost an index insertion per new customer — a full follower sync creates one customer per follower.
 */
export class DropUnusedCustomerIndexes1795385200000 implements MigrationInterface {
  name = 'DropUnusedCustomerIndexes1795385200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('customers', 'idx_customers_status');
    await queryRunner.dropIndex('customers', 'idx_customers_updated_at');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'customers',
      new TableIndex({ name: 'idx_customers_updated_at', columnNames: ['updated_at'] }),
    );
    await queryRunner.createIndex(
      'customers',
      new TableIndex({ name: 'idx_customers_status', columnNames: ['status'] }),
    );
  }
}
