import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * WeCom customer transfers (DESIGN §10.3): `transfers` is one request (on the job or after departure, from one
 * member to another), `transfer_items` one customer of it with WeChat's answer and the poll's status. A follow
 * relation a transfer ended says so in `wecom_follows.end_reason`, so it is never counted as a lost customer.
 */
export class Transfers1795385710000 implements MigrationInterface {
  name = 'Transfers1795385710000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'transfers',
        [
          c.id(),
          c.key('corp_id', 64),
          c.key('kind', 16),
          c.key('from_userid', 64),
          c.key('to_userid', 64),
          c.str('message', 255, { nullable: true }),
          c.key('status', 16),
          c.int('total'),
          c.key('created_by', 128, { nullable: true }),
          c.time('next_poll_at'),
          c.time('finished_at', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        { index: { idx_transfers_due: ['status', 'next_poll_at'], idx_transfers_corp: ['corp_id', 'created_at'] } },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'transfer_items',
        [
          c.id(),
          c.bigint('transfer_id'),
          c.key('corp_id', 64),
          c.key('from_userid', 64),
          c.key('external_userid', 64),
          c.key('customer_id', 36, { nullable: true }),
          c.key('status', 16),
          c.key('reason', 64, { nullable: true }),
          c.int('errcode', { nullable: true }),
          c.time('takeover_at', { nullable: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_transfer_items_customer: ['transfer_id', 'external_userid'] },
          index: { idx_transfer_items_relation: ['corp_id', 'external_userid', 'status'] },
        },
      ),
    );
    await queryRunner.addColumn('wecom_follows', new TableColumn(c.key('end_reason', 16, { nullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('wecom_follows', 'end_reason');
    await queryRunner.dropTable('transfer_items');
    await queryRunner.dropTable('transfers');
  }
}
