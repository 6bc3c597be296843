import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { rebuildPurchaseFigures } from '../src/storage/customers/purchase-figures.repository';
import { columnTypes } from './column-types';

/**
 * Lifetime purchase figures kept on the customer (DESIGN §5 RFM, §9): a segment's orders, spend and last-purchase
 * conditions test these columns instead of grouping every transaction; windowed conditions still read
 * `transactions`. Every writer of a purchase recomputes them (storage/customers/purchase-figures.repository.ts);
 * this fills them once for the transactions already stored.
 */
export class PurchaseFigures1796000500000 implements MigrationInterface {
  name = 'PurchaseFigures1796000500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.addColumns('customers', [
      new TableColumn(c.int('purchase_orders', { default: 0 })),
      new TableColumn(c.bigint('purchase_spent_fen', { default: 0 })),
      new TableColumn(c.time('last_purchase_at', { nullable: true })),
    ]);
    await rebuildPurchaseFigures(queryRunner.manager);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('customers', ['purchase_orders', 'purchase_spent_fen', 'last_purchase_at']);
  }
}
