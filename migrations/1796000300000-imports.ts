import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * Bulk imports (DESIGN §11): `imports` is one file being read (kind, source, progress counters), `import_errors`
 * the rows it refused with their line and reason. `transactions.source` names where an order came from:
 * `wechat_pay` for Pay's notifications, a configured source id for imported orders (whose mch_id is that id, so
 * the existing unique (mch_id, out_trade_no) is (source, orderNo) for them).
 */
export class Imports1796000300000 implements MigrationInterface {
  name = 'Imports1796000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'imports',
        [
          c.id(),
          c.key('kind', 16),
          c.key('source', 32),
          c.key('format', 8),
          c.key('status', 16),
          c.str('file_name', 255, { nullable: true }),
          c.json('mapping', { nullable: true }),
          c.bigint('total_bytes', { default: 0 }),
          c.bigint('read_bytes', { default: 0 }),
          c.bigint('read_rows', { default: 0 }),
          c.bigint('written_rows', { default: 0 }),
          c.bigint('failed_rows', { default: 0 }),
          c.str('error', 512, { nullable: true }),
          c.key('created_by', 128, { nullable: true }),
          c.time('finished_at', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        { index: { idx_imports_created: ['created_at'] } },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'import_errors',
        [c.id(), c.bigint('import_id'), c.bigint('line'), c.str('reason', 512), c.text('raw', { nullable: true })],
        { index: { idx_import_errors_import: ['import_id', 'line'] } },
      ),
    );
    await queryRunner.addColumn('transactions', new TableColumn(c.key('source', 32, { default: 'wechat_pay' })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('transactions', 'source');
    await queryRunner.dropTable('import_errors');
    await queryRunner.dropTable('imports');
  }
}
